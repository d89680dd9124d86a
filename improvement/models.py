import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class ApiToken(models.Model):
    """A key to the read-only API, issued by an admin to one user (e.g. for a Power BI report).

    Only a hash of the key is kept: it is shown once, when issued. Revoked, not deleted, so its
    use log keeps meaning.
    """

    PREFIX = "itk_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=200, help_text="What it is for, e.g. “Power BI board pack”.")
    key_prefix = models.CharField(max_length=12, editable=False, help_text="The start of the key, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name, issued_by):
        """A new token and its key, which is not stored and cannot be shown again."""
        token = cls(user=user, name=name)
        key = token.new_key(issued_by)
        token.save()
        return token, key

    def new_key(self, issued_by):
        key = self.PREFIX + secrets.token_urlsafe(32)
        self.key_prefix, self.key_hash = key[:10], self.hash(key)
        self.created_by = self._history_user = issued_by
        return key

    def revoke(self, by):
        self.revoked_at = timezone.now()
        self.revoked_by = by
        self._history_user = by
        self.save(update_fields=["revoked_at", "revoked_by"])

    @property
    def is_active(self):
        return self.revoked_at is None


class ApiTokenUse(models.Model):
    """One request made with a token: the log an information governance officer asks for."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="uses")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=2000)
    status = models.PositiveSmallIntegerField()
    address = models.GenericIPAddressField(null=True)

    class Meta:
        verbose_name = "API token use"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.token} {self.path} {self.status}"
