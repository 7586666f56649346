from django.contrib import admin

from .models import Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    """The logo printed on a controller's letters; the other lines come from the controller."""

    list_display = ["controller", "logo", "logo_description"]
    autocomplete_fields = ["controller"]
