from django.contrib import admin

from tiepdan.core.admin import ModelAdmin, ReadOnlyAdmin

from .models import (
    DocumentNumber,
    DocumentSignature,
    DocumentTemplate,
    IssuedDocument,
    OrganisationSeal,
)


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ModelAdmin):
    list_display = ["name", "doc_type", "template_key", "is_active", "updated_at"]
    list_filter = ["doc_type", "template_key", "is_active"]
    search_fields = ["name", "subject", "body"]



@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["symbol", "year", "subject", "commune", "issued_on", "created_by"]
    list_filter = ["doc_type", "template_key", "year", "commune"]
    search_fields = ["symbol", "subject"]
    # The files are served only through the permission-checked, audited download view.
    exclude = ["docx_file", "pdf_file", "context"]


@admin.register(DocumentNumber)
class DocumentNumberAdmin(ReadOnlyAdmin):
    list_display = ["symbol", "year", "commune", "allocated_at", "allocated_by"]
    list_filter = ["doc_type", "year", "commune"]


@admin.register(OrganisationSeal)
class OrganisationSealAdmin(ModelAdmin):
    list_display = ["commune", "backend", "token_label", "is_active"]
    list_filter = ["backend", "is_active"]


@admin.register(DocumentSignature)
class DocumentSignatureAdmin(ReadOnlyAdmin):
    list_display = ["document", "kind", "signer_name", "signed_at", "timestamped"]
    list_filter = ["kind"]
    exclude = ["pdf_file"]
