from django.contrib import admin

from .models import AccountDeletion, ReaderProfile


@admin.register(ReaderProfile)
class ReaderProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "public_id", "created_at"]
    search_fields = ["display_name", "public_id"]
    readonly_fields = ["user", "public_id", "avatar_seed", "created_at", "updated_at"]
    fields = ["user", "display_name", "bio", "public_id", "avatar_seed", "created_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        # Profiles come with accounts (sign-up, or account_provision for staff).
        return False


@admin.register(AccountDeletion)
class AccountDeletionAdmin(admin.ModelAdmin):
    """The log of closed accounts: read-only, and without personal data by design."""

    list_display = ["deleted_at", "content", "summary"]
    list_filter = ["content"]
    date_hierarchy = "deleted_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
