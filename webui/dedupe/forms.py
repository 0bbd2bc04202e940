"""Forms of the duplicates review: merge a pair, or dismiss it."""

from wtforms import BooleanField, HiddenField, RadioField
from wtforms.validators import DataRequired

from webui.forms import TansiqForm


class MergeForm(TansiqForm):
    """Which of the two records to keep, and the versions the user compared."""

    keep = RadioField("Fiche à conserver", choices=[], validate_choice=False)
    version_a = HiddenField()
    version_b = HiddenField()
    # A merge cannot be undone: the browser (``required``) and the server both ask for this box.
    confirm = BooleanField(
        "Je confirme la fusion : l'autre fiche sera supprimée et son adresse mènera à la "
        "fiche conservée.",
        validators=[DataRequired("Cochez la case pour confirmer la fusion : elle est définitive.")],
    )

    def versions(self) -> tuple[int, int]:
        """The versions as posted (-1 when tampered with, which the merge refuses as stale)."""
        return _version(self.version_a.data), _version(self.version_b.data)


class DismissForm(TansiqForm):
    """The "Ce ne sont pas des doublons" button: nothing to fill but the CSRF token."""


def _version(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1
