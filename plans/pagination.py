class BoundedPaginationMixin:
    """A table's page and per_page from the query string: a nonsense value is ignored, never a server error."""

    max_per_page = 500

    def setup(self, request, *args, **kwargs):
        query = request.GET.copy()
        for name, highest in (("per_page", self.max_per_page), ("page", 10**6)):
            value = query.get(name)
            if value is not None and not (value.isdigit() and 1 <= int(value) <= highest):
                query.pop(name)
        request.GET = query
        super().setup(request, *args, **kwargs)
