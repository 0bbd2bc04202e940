"""Every organisation kind belongs to exactly one known sector (brokerage and E-I need it)."""

from graph.vocabulary import ORGANISATION_KINDS, ORGANISATION_SECTORS, SECTORS


def test_every_organisation_kind_has_a_known_sector():
    assert set(ORGANISATION_SECTORS) == set(ORGANISATION_KINDS)
    assert set(ORGANISATION_SECTORS.values()) <= set(SECTORS)


def test_councils_and_their_bodies_are_territorial_collectivities():
    for kind in ("commune_council", "provincial_council", "regional_council", "council_body"):
        assert ORGANISATION_SECTORS[kind] == "territorial_collectivity"
    assert ORGANISATION_SECTORS["national_agency"] == "deconcentrated_state"  # INDH, ANAPEC
