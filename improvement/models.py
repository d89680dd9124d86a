from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class EntraIdentity(models.Model):
    """The Microsoft Entra ID account that signs in as this user.

    Matched on tenant and object id, which never change and are never reused; an email address or
    user principal name can be renamed or handed to someone else.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entra_identity")
    tenant_id = models.CharField("tenant id", max_length=64)
    object_id = models.CharField(
        "object id", max_length=64, help_text="The user's Object ID, shown on their page in the Entra admin centre."
    )
    last_sign_in = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Microsoft Entra ID sign-in"
        constraints = [models.UniqueConstraint(fields=["tenant_id", "object_id"], name="unique_entra_identity")]

    def __str__(self):
        return f"{self.tenant_id}/{self.object_id}"

    def save(self, *args, **kwargs):
        # Ids are GUIDs; the admin centre shows them in lower case but people paste them as they like.
        self.tenant_id = self.tenant_id.strip().lower()
        self.object_id = self.object_id.strip().lower()
        super().save(*args, **kwargs)
