"""Forms of the network pages."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange

from graph.analysis.gaps import GAP_RULES
from webui.forms import RecordsField, TansiqForm


class SnapshotForm(TansiqForm):
    name = StringField(
        "Nom de l'instantané",
        render_kw={"required": True, "maxlength": 100, "autocomplete": "off"},
        description="Ex. : « Référence 2026 », « Mi-parcours ». Un nom ne sert qu'une fois.",
    )


def _settings_form() -> type[TansiqForm]:
    attributes = {
        "women_share_minimum": IntegerField(
            "Part minimale des femmes (%)",
            validators=[InputRequired("Indiquez un pourcentage."),
                        NumberRange(0, 100, "Entre 0 et 100 %%.")],
            description="En dessous, la commune est signalée (participants, acteurs centraux).",
        ),
        "central_top": IntegerField(
            "Nombre d'acteurs centraux examinés",
            validators=[InputRequired("Indiquez un nombre."),
                        NumberRange(1, 100, "Entre 1 et 100.")],
            description="Les personnes les plus centrales d'une commune dont on vérifie la part "
            "des femmes.",
        ),
    }  # fmt: skip
    for code, rule in GAP_RULES.items():
        attributes[f"enabled_{code}"] = BooleanField(rule.label)
    return type("GapSettingsForm", (TansiqForm,), attributes)


# One checkbox per gap rule ("enabled_<code>"), and the two thresholds.
GapSettingsForm = _settings_form()


class PathForm(TansiqForm):
    """The two ends of an introduction path (single-choice record pickers, sent by GET)."""

    class Meta:
        csrf = False
        locales = ("fr_FR", "fr")

    de = RecordsField("De")
    de_new = StringField("De (nom)", render_kw={"autocomplete": "off"},
                         description="Son nom, écrit comme sur sa fiche.")  # fmt: skip
    vers = RecordsField("Vers")
    vers_new = StringField("Vers (nom)", render_kw={"autocomplete": "off"},
                           description="Son nom, écrit comme sur sa fiche.")  # fmt: skip
