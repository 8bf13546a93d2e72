"""The staff forms, declared with WTForms (through Flask-WTF): what each form posts, read
and checked in one place.

The rules a document's metadata follows stay in ``kb.publishing.form_metadata`` (``kb add``
follows them too): the metadata form asks it, and puts each refusal on its field. CSRF is
checked before any view by Flask-WTF's ``CSRFProtect`` (every POST; its refusal page is
``auth.csrf_error``), so these forms do not check it a second time.
"""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Form, IntegerField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired

from indexer.formats.ocr import LANGUAGES as OCR_LANGUAGES
from kb.errors import InvalidChange
from kb.publishing import Metadata, form_metadata
from model.fields import FORM

from ..i18n import localise
from .corrections_form import CorrectionFields, squash


class StaffForm(FlaskForm):
    class Meta:
        csrf = False            # CSRFProtect checked the token before the view ran

    def problems(self) -> dict[str, str]:
        """The first problem of each wrong field, by field name."""
        return {name: str(errors[0]) for name, errors in self.errors.items()
                if name is not None and errors and not isinstance(errors[0], dict)}


class LoginForm(StaffForm):
    name = StringField(default="", filters=[lambda value: (value or "").strip().lower()])
    password = PasswordField(default="")


class AddForm(StaffForm):
    """A file to upload or pasted text (one of them), and the type to assume."""
    file = FileField()
    text = StringField(default="")
    type = StringField(default="")
    scan_language = StringField(default="")      # of a scan: fr, en, or "" to tell it

    @property
    def ocr_language(self) -> str:
        return self.scan_language.data if self.scan_language.data in OCR_LANGUAGES else ""

    @property
    def has_file(self) -> bool:
        return self.file.data is not None        # Flask-WTF leaves out a field sent without a file

    def validate(self, extra_validators=None) -> bool:
        self.form_errors = []
        if not super().validate(extra_validators):
            return False
        pasted = bool((self.text.data or "").strip())
        if self.has_file and pasted:
            self.form_errors.append(gettext("Either choose a file or paste the text, not both."))
        elif not self.has_file and not pasted:
            self.form_errors.append(gettext("Choose a file to upload, or paste the text of the document."))
        return not self.form_errors


class MetadataForm(StaffForm):
    """The metadata of a document: one text field per form field of ``model.fields``,
    checked by ``kb.publishing.form_metadata`` (``metadata`` once valid)."""
    metadata: Metadata | None = None

    def values(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in FORM}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        try:
            self.metadata = form_metadata(self.values())
        except InvalidChange as exc:
            for name, problem in exc.errors.items():
                self[name].errors.append(localise(problem))
            return False
        return valid


for _name in FORM:
    setattr(MetadataForm, _name, StringField(default=""))


class ReviewForm(MetadataForm, CorrectionFields):
    """An upload under review: its metadata, its text, and what to do."""
    text = StringField()
    action = StringField(default="preview")      # preview, publish or discard


class EditForm(MetadataForm, CorrectionFields):
    """A published document: its metadata, text, corrections of its extraction, and the
    fingerprint of the version the page showed (``base``)."""
    text = StringField(default="")
    base = StringField(default="")
    action = StringField(default="preview")      # preview or save


class StatusForm(StaffForm):
    status = StringField(validators=[AnyOf(("draft", "published"),
                                           message=lazy_gettext("The status is published or draft."))])


class DeleteForm(StaffForm):
    confirm = BooleanField(validators=[DataRequired(lazy_gettext("Tick the box that confirms the deletion."))])


class ListFilters(Form):
    """The filters of a staff list (a GET form: ``ListFilters(request.args)``, no CSRF)."""
    page = IntegerField(default=1)              # a page that is not a number is the first

    @property
    def page_number(self) -> int:
        return max(1, self.page.data or 1)


class DocumentFilters(ListFilters):
    q = StringField(default="", filters=[squash])
    status = StringField(default="")


class LogFilters(ListFilters):
    user, document, action = StringField(), StringField(), StringField()

    def chosen(self) -> dict[str, str | None]:
        return {name: self[name].data or None for name in ("user", "document", "action")}
