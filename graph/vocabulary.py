"""Closed lists of the domain: organisation kinds, roles, genders (codes and French labels).

They are the allowlists that queries and forms use; a code never reaches Cypher text.
"""

from __future__ import annotations

__all__ = [
    "ATTENDANCE_ROLES",
    "COMMUNE_TYPES",
    "AGE_BANDS",
    "EVENT_KINDS",
    "GENDERS",
    "LANGUAGES",
    "LEGAL_BASES",
    "ORGANISATION_KINDS",
    "ORGANISATION_SECTORS",
    "PARTNERSHIP_KINDS",
    "PARTNERSHIP_STATUSES",
    "PROVINCE_TYPES",
    "SECTORS",
    "THEMES",
    "TRAINING_MODULES",
    "USER_ROLES",
    "YOUTH_AGE_BANDS",
]

ORGANISATION_KINDS: dict[str, str] = {
    "osc": "Association / OSC",
    "cooperative": "Coopérative",
    "osc_network": "Réseau d'associations",
    "commune_council": "Conseil communal",
    "provincial_council": "Conseil provincial / préfectoral",
    "regional_council": "Conseil régional",
    "council_body": "Instance du conseil (IECGAG, conseil des jeunes, commission)",
    "deconcentrated_service": "Service déconcentré",
    "national_agency": "Agence ou programme national (INDH, ANAPEC, CRI…)",
    "central_administration": "Administration centrale (DGCT, Direction de la société civile…)",
    "university": "Université / recherche",
    "private": "Secteur privé",
    "ptf": "Partenaire technique et financier (PTF)",
    "media": "Média",
}

GENDERS: dict[str, str] = {"": "Non renseigné", "f": "Femme", "m": "Homme"}

USER_ROLES: dict[str, str] = {
    "admin": "Administrateur",
    "manager": "Responsable de programme",
    "officer": "Chargé(e) territorial(e)",
    "analyst": "Analyste / suivi-évaluation",
    "viewer": "Lecture seule",
}

COMMUNE_TYPES: dict[str, str] = {"urban": "Commune urbaine", "rural": "Commune rurale"}

PROVINCE_TYPES: dict[str, str] = {"province": "Province", "prefecture": "Préfecture"}

# Law 09-08, article 4: the grounds on which personal data may be processed.
LEGAL_BASES: dict[str, str] = {
    "consent": "Consentement de la personne",
    "public_interest": "Mission d'intérêt public",
    "legitimate_interest": "Intérêt légitime du programme",
    "contract": "Exécution d'un contrat ou d'une convention",
    "legal_obligation": "Obligation légale",
}

AGE_BANDS: dict[str, str] = {
    "": "Non renseignée",
    "18-24": "18 à 24 ans",
    "25-34": "25 à 34 ans",
    "35-44": "35 à 44 ans",
    "45-59": "45 à 59 ans",
    "60+": "60 ans et plus",
}
# The programme counts young people (18-34) separately.
YOUTH_AGE_BANDS = frozenset({"18-24", "25-34"})

LANGUAGES: dict[str, str] = {
    "ar": "Arabe",
    "ary": "Darija",
    "zgh": "Amazighe",
    "fr": "Français",
    "es": "Espagnol",
    "en": "Anglais",
}

THEMES: dict[str, str] = {
    "participation": "Participation citoyenne",
    "gouvernance": "Gouvernance locale",
    "planification": "Planification (PAC, PDR)",
    "budget": "Budget participatif",
    "genre": "Égalité et genre",
    "jeunesse": "Jeunesse",
    "emploi": "Emploi et insertion",
    "education": "Éducation",
    "sante": "Santé",
    "environnement": "Environnement et climat",
    "culture": "Culture et patrimoine",
    "handicap": "Handicap",
    "developpement_rural": "Développement rural",
    "economie_sociale": "Économie sociale et solidaire",
    "migration": "Migration",
    "numerique": "Numérique",
}

# --- events, attendance, partnerships ------------------------------------------------------

EVENT_KINDS: dict[str, str] = {
    "training": "Formation",
    "workshop": "Atelier",
    "public_consultation": "Consultation publique",
    "coordination_meeting": "Réunion de coordination",
    "forum": "Forum / foire",
    "field_visit": "Visite de terrain",
    "council_session": "Session du conseil communal",
    "body_meeting": "Réunion de l'IECGAG ou du conseil des jeunes",
}

# The modules of the programme's training curriculum (``Event.module`` for trainings).
TRAINING_MODULES: dict[str, str] = {
    "democratie_participative": "Démocratie participative et ses mécanismes (pétitions, IECGAG)",
    "pac": "Élaboration et suivi du plan d'action communal (PAC)",
    "budget_participatif": "Budget participatif",
    "plaidoyer": "Plaidoyer et montage de projets associatifs",
    "genre": "Approche genre dans les politiques locales",
    "jeunesse": "Participation des jeunes et conseils des jeunes",
    "suivi_evaluation": "Suivi-évaluation et redevabilité",
    "communication": "Communication et animation de concertations",
}

ATTENDANCE_ROLES: dict[str, str] = {
    "participant": "Participant(e)",
    "speaker": "Intervenant(e)",
    "organiser": "Organisateur / organisatrice",
    "facilitator": "Animateur / animatrice",
}

PARTNERSHIP_KINDS: dict[str, str] = {
    "convention": "Convention",
    "mou": "Protocole d'accord (MoU)",
    "subsidy": "Subvention",
    "joint_project": "Projet commun",
    "network": "Adhésion à un réseau",
}

PARTNERSHIP_STATUSES: dict[str, str] = {
    "planned": "En préparation",
    "active": "En cours",
    "ended": "Terminé",
}

# --- sectors (network analysis: brokerage, E-I index, vertical and horizontal ties) ----------

SECTORS: dict[str, str] = {
    "central_state": "État central",
    "deconcentrated_state": "État déconcentré",
    "territorial_collectivity": "Collectivité territoriale",
    "civil_society": "Société civile",
    "private": "Secteur privé",
    "academia": "Université et recherche",
    "donor": "Partenaires techniques et financiers",
    "media": "Médias",
}

# Every organisation kind belongs to one sector.
ORGANISATION_SECTORS: dict[str, str] = {
    "osc": "civil_society",
    "cooperative": "civil_society",
    "osc_network": "civil_society",
    "commune_council": "territorial_collectivity",
    "provincial_council": "territorial_collectivity",
    "regional_council": "territorial_collectivity",
    "council_body": "territorial_collectivity",
    "deconcentrated_service": "deconcentrated_state",
    "national_agency": "deconcentrated_state",
    "central_administration": "central_state",
    "university": "academia",
    "private": "private",
    "ptf": "donor",
    "media": "media",
}
