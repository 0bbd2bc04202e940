"""Forms of the import pages. The mapping and the preview's decisions are one control per
column or per row, read from the request by the views; these forms carry the rest."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from crm.imports import KINDS, UNDECIDED
from graph.vocabulary import LEGAL_BASES, ORGANISATION_KINDS
from webui.forms import RecordsField, TansiqForm, vocabulary_choices


class UploadForm(TansiqForm):
    kind = RadioField(
        "Le fichier contient",
        choices=[SelectChoice(code, kind.label) for code, kind in KINDS.items()],
        default="people",
    )
    file = FileField(
        "Fichier",
        description="CSV (séparé par des virgules, points-virgules ou tabulations ; UTF-8, "
        "Windows-1256 ou Latin-1) ou Excel (.xlsx). La première ligne porte les titres "
        "des colonnes.",
        render_kw={"accept": ".csv,.txt,.xlsx,text/csv"},
    )
    event = RecordsField("Événement (feuille d'émargement)")
    event_new = StringField(
        "Ou tapez le titre exact de l'événement",
        description="Sans JavaScript : le titre exact d'un événement de votre territoire.",
    )
    commune = StringField(
        "Commune par défaut",
        description="Pour les lignes sans commune. Pour une feuille d'émargement : la commune "
        "de l'événement si vous laissez vide.",
        render_kw={"list": "commune-options", "autocomplete": "off",
                   "data-suggest": "/territoires/communes.json"},
    )  # fmt: skip
    organisation_kind = SelectField(
        "Type des organisations créées",
        choices=vocabulary_choices(ORGANISATION_KINDS),
        default="osc",
        description="Quand le fichier n'a pas de colonne « Type » ou nomme une organisation "
        "sur la ligne d'une personne.",
    )
    legal_basis = SelectField(
        "Base légale des personnes créées (loi 09-08)",
        choices=[SelectChoice("", "— À compléter plus tard —"), *vocabulary_choices(LEGAL_BASES)],
    )
    purpose = StringField("Finalité", description="Ex. « Invitations aux ateliers du programme ».")


class MappingForm(TansiqForm):
    save_as = StringField(
        "Enregistrer cette correspondance sous le nom",
        description="Facultatif : pour la réutiliser avec le prochain fichier de même forme.",
    )


class PreviewForm(TansiqForm):
    undecided = RadioField(
        "Lignes à vérifier que vous ne tranchez pas",
        choices=[SelectChoice(code, label) for code, label in UNDECIDED.items()],
        default="skip",
    )
