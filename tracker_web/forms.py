"""The forms. Every one is a Flask-WTF form, so every POST carries a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from db.catalog_values import contact_value_problem
from db.models import CONTACT_KINDS, TALLY_CHANNELS, TARGET_KINDS
from tracker_web.letters import LETTER_LANGUAGES, PERSONAL_MAX, PERSONAL_MIN, valid_email


class SubmitSiteForm(FlaskForm):
    url = StringField(_l("Address of the page with the country list"),
                      validators=[DataRequired(), Length(max=2000)],
                      description=_l("For example https://shop.example/checkout"))
    note = TextAreaField(_l("What did you see? (optional)"),
                         validators=[Optional(), Length(max=1000)],
                         description=_l("Do not write your name or e-mail address here."))
    submit = SubmitField(_l("Check this page"))


WRONG_CLAIMS = [
    SelectChoice("listed", _l("Kosovo is in the list")),
    SelectChoice("missing", _l("Kosovo is not in the list")),
    SelectChoice("listed_qualified", _l("Kosovo is listed under another state")),
    SelectChoice("no_country_field", _l("There is no country list on this page")),
    SelectChoice("other", _l("Something else")),
]


class WrongVerdictForm(FlaskForm):
    claimed = RadioField(_l("What does the page really show?"), choices=WRONG_CLAIMS,
                         validators=[DataRequired()])
    note = TextAreaField(_l("Details (optional)"), validators=[Optional(), Length(max=1000)],
                         description=_l("Do not write your name or e-mail address here."))
    submit = SubmitField(_l("Send the report"))


def variant_choices() -> list[SelectChoice]:
    return [SelectChoice("polite", _l("Polite and detailed")),
            SelectChoice("customer", _l("As a customer")), SelectChoice("brief", _l("Short"))]


def choices(pairs: object) -> list[SelectChoice]:
    """``SelectChoice`` objects from ``(value, label)`` pairs or a ``{value: label}`` dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]  # type: ignore[attr-defined]


class LetterForm(FlaskForm):
    language = SelectField(_l("Language of the letter"),
                           choices=choices(LETTER_LANGUAGES))
    variant = RadioField(_l("Kind of letter"), choices=variant_choices(), default="polite")
    target = SelectField(_l("Which page"), coerce=int, validate_choice=True)
    personal = TextAreaField(
        _l("Your own sentence (required)"),
        validators=[DataRequired(), Length(min=PERSONAL_MIN, max=PERSONAL_MAX)],
        description=_l("Say in your own words why this matters to you. It goes into the "
                       "letter and is not stored."))
    submit = SubmitField(_l("Write the letter"))


class TallyForm(FlaskForm):
    channel = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("I sent it: count my letter"))

    def validate_channel(self, field: HiddenField) -> None:
        if field.data not in TALLY_CHANNELS:
            raise ValidationError("channel")


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class ActionForm(FlaskForm):
    """A button that changes something (approve, reject, re-check, log out …)."""

    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Confirm"))


class ApproveForm(FlaskForm):
    name = StringField(_l("Site name"), validators=[DataRequired(), Length(max=200)])
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200)])
    category = StringField(_l("Category"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Kind of page"), choices=choices((k, k) for k in TARGET_KINDS))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Approve and track"))


class ContactForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices((k, k) for k in CONTACT_KINDS))
    value = StringField(_l("Address, number or link"),
                        validators=[DataRequired(), Length(max=1000)])
    source = StringField(_l("Where it is published (link)"),
                         validators=[Optional(), URL(require_tld=False), Length(max=2000)])
    verified = BooleanField(_l("I checked it today"))
    submit = SubmitField(_l("Add the contact"))

    def validate_value(self, field: StringField) -> None:
        if self.kind.data == "email" and not valid_email(field.data):
            raise ValidationError(_l("This is not a plain e-mail address."))
        if contact_value_problem(str(self.kind.data), str(field.data or "").strip()):
            raise ValidationError(_l("This does not fit its kind: an e-mail address, a phone "
                                     "number, or a link starting with https:// or http://."))


class SubmitSiteAddressForm(FlaskForm):
    """A site's address only: discovery looks for its form pages."""

    url = StringField(_l("Address of the site"),
                      validators=[DataRequired(), Length(max=2000)],
                      description=_l("For example shop.example or https://shop.example/"))
    note = TextAreaField(_l("What did you see? (optional)"),
                         validators=[Optional(), Length(max=1000)],
                         description=_l("Do not write your name or e-mail address here."))
    submit = SubmitField(_l("Find its forms"))
