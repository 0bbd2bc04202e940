"""What generated records are called and say: organisation names that fit their kind (French
and Arabic), the functions people hold, event titles, interaction summaries and follow-up
actions (for ``seeds.generator``).

Donors are real cooperation agencies (public bodies, named as partners are in real files);
associations, cooperatives, firms and media are invented from common Moroccan patterns.
"""

from __future__ import annotations

__all__ = [
    "ASSOCIATION_PURPOSES",
    "ASSOCIATION_WORDS",
    "CENTRAL_ADMINISTRATIONS",
    "COOPERATIVE_PRODUCTS",
    "DONORS",
    "EVENT_TITLES",
    "FOLLOW_UP_ACTIONS",
    "INTERACTION_SUMMARIES",
    "PARTNERSHIP_TITLES",
    "PROVINCIAL_SERVICES",
    "REGIONAL_SERVICES",
    "ROLES",
    "UNIVERSITIES",
    "VENUES",
]

# (Latin, Arabic) words that name associations and cooperatives.
ASSOCIATION_WORDS: tuple[tuple[str, str], ...] = (
    ("Al Amal", "الأمل"),
    ("Al Wafae", "الوفاء"),
    ("Annour", "النور"),
    ("Al Fath", "الفتح"),
    ("Attadamoun", "التضامن"),
    ("Al Khair", "الخير"),
    ("Assafae", "الصفاء"),
    ("Al Mostakbal", "المستقبل"),
    ("Annahda", "النهضة"),
    ("Al Ihsane", "الإحسان"),
    ("Tifawin", "تيفاوين"),
    ("Tamount", "تامونت"),
    ("Tagmat", "تاكمات"),
    ("Afak", "آفاق"),
    ("Al Baraka", "البركة"),
    ("Annajah", "النجاح"),
    ("Ibn Khaldoun", "ابن خلدون"),
    ("Assalam", "السلام"),
    ("Al Inbiaat", "الانبعاث"),
    ("Chorouk", "الشروق"),
)

# (French, Arabic, theme code of graph.vocabulary.THEMES)
ASSOCIATION_PURPOSES: tuple[tuple[str, str, str], ...] = (
    ("pour le développement et la culture", "للتنمية والثقافة", "culture"),
    ("pour le développement local", "للتنمية المحلية", "developpement_rural"),
    ("des femmes", "للمرأة", "genre"),
    ("pour la femme rurale", "للمرأة القروية", "genre"),
    ("de la jeunesse et du sport", "للشباب والرياضة", "jeunesse"),
    ("pour l'environnement", "للبيئة", "environnement"),
    ("des personnes en situation de handicap", "للأشخاص في وضعية إعاقة", "handicap"),
    ("des parents d'élèves", "لآباء وأولياء التلاميذ", "education"),
    ("pour la participation citoyenne", "للمشاركة المواطنة", "participation"),
    ("pour l'éducation non formelle", "للتربية غير النظامية", "education"),
    ("pour la santé de proximité", "للصحة عن قرب", "sante"),
    ("pour l'insertion des jeunes", "لإدماج الشباب", "emploi"),
)

COOPERATIVE_PRODUCTS: tuple[tuple[str, str, str], ...] = (
    ("d'argan", "لأركان", "economie_sociale"),
    ("de couscous", "للكسكس", "economie_sociale"),
    ("apicole", "لتربية النحل", "developpement_rural"),
    ("laitière", "للحليب", "developpement_rural"),
    ("de tapis", "للزرابي", "culture"),
    ("de plantes aromatiques", "للنباتات العطرية", "developpement_rural"),
    ("oléicole", "للزيتون", "developpement_rural"),
    ("de safran", "للزعفران", "developpement_rural"),
)

# Provincial offices of ministries: (French name before "de <province>", Arabic, acronym).
PROVINCIAL_SERVICES: tuple[tuple[str, str, str], ...] = (
    ("Direction provinciale de l'éducation nationale", "المديرية الإقليمية للتربية الوطنية", ""),
    ("Délégation provinciale de la santé", "المندوبية الإقليمية للصحة", ""),
    ("Direction provinciale de l'agriculture", "المديرية الإقليمية للفلاحة", "DPA"),
    ("Délégation de l'Entraide nationale", "مندوبية التعاون الوطني", ""),
    ("Direction provinciale de la jeunesse", "المديرية الإقليمية للشباب", ""),
    ("Division de l'action sociale de la province", "قسم العمل الاجتماعي بالعمالة", "DAS"),
    ("Division des collectivités territoriales", "قسم الجماعات الترابية", "DCT"),
    ("Direction provinciale de l'équipement", "المديرية الإقليمية للتجهيز", ""),
)

REGIONAL_SERVICES: tuple[tuple[str, str, str], ...] = (
    (
        "Académie régionale d'éducation et de formation",
        "الأكاديمية الجهوية للتربية والتكوين",
        "AREF",
    ),
    ("Direction régionale de la santé", "المديرية الجهوية للصحة", ""),
    (
        "Direction régionale du Haut-Commissariat au Plan",
        "المديرية الجهوية للمندوبية السامية للتخطيط",
        "HCP",
    ),
    ("Direction régionale de l'agriculture", "المديرية الجهوية للفلاحة", "DRA"),
)

# (name, Arabic, acronym): national bodies, shared with every region.
CENTRAL_ADMINISTRATIONS: tuple[tuple[str, str, str], ...] = (
    (
        "Ministère de la Jeunesse, de la Culture et de la Communication",
        "وزارة الشباب والثقافة والتواصل",
        "",
    ),
    (
        "Ministère de la Solidarité, de l'Insertion sociale et de la Famille",
        "وزارة التضامن والإدماج الاجتماعي والأسرة",
        "",
    ),
    ("Direction des affaires rurales", "مديرية الشؤون القروية", "DAR"),
    ("Haut-Commissariat au Plan", "المندوبية السامية للتخطيط", "HCP"),
)

DONORS: tuple[tuple[str, str, str], ...] = (
    ("Agence allemande de coopération internationale", "الوكالة الألمانية للتعاون الدولي", "GIZ"),
    ("Délégation de l'Union européenne au Maroc", "بعثة الاتحاد الأوروبي بالمغرب", "UE"),
    ("Agence française de développement", "الوكالة الفرنسية للتنمية", "AFD"),
    ("Programme des Nations unies pour le développement", "برنامج الأمم المتحدة الإنمائي", "PNUD"),
    ("ONU Femmes Maroc", "هيئة الأمم المتحدة للمرأة بالمغرب", "ONU Femmes"),
    ("Agence belge de développement", "الوكالة البلجيكية للتنمية", "Enabel"),
    (
        "Agence espagnole de coopération internationale pour le développement",
        "الوكالة الإسبانية للتعاون الدولي من أجل التنمية",
        "AECID",
    ),
    ("Banque mondiale", "البنك الدولي", ""),
    ("Agence japonaise de coopération internationale", "الوكالة اليابانية للتعاون الدولي", "JICA"),
    ("Fonds des Nations unies pour l'enfance", "منظمة الأمم المتحدة للطفولة", "UNICEF"),
)

# Public universities of the regions outside the reference institutions (region code ->
# (name, Arabic, acronym)).
UNIVERSITIES: dict[str, tuple[str, str, str]] = {
    "03": ("Université Sidi Mohamed Ben Abdellah", "جامعة سيدي محمد بن عبد الله", "USMBA"),
    "04": ("Université Mohammed V de Rabat", "جامعة محمد الخامس بالرباط", "UM5"),
    "07": ("Université Cadi Ayyad", "جامعة القاضي عياض", "UCA"),
    "08": ("Université Moulay Ismaïl", "جامعة مولاي إسماعيل", "UMI"),
    "10": ("Université Ibn Zohr, pôle de Guelmim", "جامعة ابن زهر، قطب كلميم", ""),
    "11": ("Centre universitaire de Laâyoune", "المركز الجامعي بالعيون", ""),
    "12": ("Centre universitaire de Dakhla", "المركز الجامعي بالداخلة", ""),
}

# kind -> (usual function, feminine form, how many hold it) in the order an organisation's
# page lists them; the first is the head, whose mandate is handed over.
ROLES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "commune_council": (
        ("Président du conseil communal", "Présidente du conseil communal", 1),
        ("Vice-président", "Vice-présidente", 2),
        ("Directeur général des services", "Directrice générale des services", 1),
        ("Conseiller communal", "Conseillère communale", 1),
    ),
    "council_body": (("Président", "Présidente", 1), ("Membre", "Membre", 3)),
    "osc": (
        ("Président", "Présidente", 1),
        ("Secrétaire général", "Secrétaire générale", 1),
        ("Trésorier", "Trésorière", 1),
        ("Membre du bureau", "Membre du bureau", 1),
    ),
    "cooperative": (
        ("Président", "Présidente", 1),
        ("Trésorier", "Trésorière", 1),
        ("Membre", "Membre", 1),
    ),
    "osc_network": (
        ("Coordinateur", "Coordinatrice", 1),
        ("Membre du bureau", "Membre du bureau", 2),
    ),
    "provincial_council": (
        ("Président du conseil provincial", "Présidente du conseil provincial", 1),
        ("Vice-président", "Vice-présidente", 1),
        ("Directeur des services", "Directrice des services", 1),
    ),
    "regional_council": (
        ("Président du conseil régional", "Présidente du conseil régional", 1),
        ("Vice-président", "Vice-présidente", 2),
        ("Directeur général des services", "Directrice générale des services", 1),
    ),
    "deconcentrated_service": (
        ("Directeur", "Directrice", 1),
        ("Chef de service", "Cheffe de service", 1),
        ("Cadre", "Cadre", 1),
    ),
    "national_agency": (
        ("Directeur", "Directrice", 1),
        ("Chargé de projets", "Chargée de projets", 1),
    ),
    "central_administration": (
        ("Directeur", "Directrice", 1),
        ("Chef de division", "Cheffe de division", 1),
    ),
    "university": (("Doyen", "Doyenne", 1), ("Professeur", "Professeure", 2)),
    "private": (("Gérant", "Gérante", 1),),
    "ptf": (
        ("Chargé de programme", "Chargée de programme", 1),
        ("Directeur pays", "Directrice pays", 1),
    ),
    "media": (
        ("Directeur de publication", "Directrice de publication", 1),
        ("Journaliste", "Journaliste", 1),
    ),
}

VENUES: tuple[str, ...] = (
    "Salle de réunion de la commune",
    "Maison des jeunes",
    "Foyer féminin",
    "Centre socio-culturel",
    "Siège de l'association",
    "Salle polyvalente de la province",
    "Dar Taliba",
    "Centre de qualification des jeunes",
)

# event kind -> title patterns ({commune}, {module}, {theme}, {month})
EVENT_TITLES: dict[str, tuple[str, ...]] = {
    "training": ("Formation : {module}", "Session de formation — {module}"),
    "workshop": (
        "Atelier de concertation sur le PAC de {commune}",
        "Atelier : {theme} à {commune}",
    ),
    "public_consultation": (
        "Consultation publique sur le budget de {commune}",
        "Consultation des habitants : {theme}",
    ),
    "coordination_meeting": (
        "Réunion de coordination des acteurs de {commune}",
        "Comité local de coordination — {commune}",
    ),
    "forum": ("Forum des associations de {commune}", "Foire de l'économie sociale — {commune}"),
    "field_visit": (
        "Visite de terrain : projets INDH à {commune}",
        "Visite des coopératives de {commune}",
    ),
    "council_session": (
        "Session ordinaire du conseil communal ({month})",
        "Session extraordinaire du conseil communal de {commune}",
    ),
    "body_meeting": ("Réunion de l'IECGAG de {commune}", "Réunion du conseil des jeunes"),
}

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

INTERACTION_SUMMARIES: tuple[str, ...] = (
    "Point sur l'avancement du plan d'action communal ({theme}).",
    "Présentation du programme et des mécanismes de participation citoyenne.",
    "Préparation de la prochaine réunion de l'IECGAG.",
    "Échange sur les pétitions déposées auprès de la commune.",
    "Suivi des conventions de partenariat avec les associations ({theme}).",
    "Demande d'appui pour un projet : {theme}.",
    "Organisation de la formation des membres du bureau.",
    "Relance sur la liste des participants à l'atelier.",
    "Présentation des résultats de la consultation publique.",
    "Mise en relation avec la coordination provinciale de l'INDH.",
)

FOLLOW_UP_ACTIONS: tuple[str, ...] = (
    "Envoyer le compte rendu de la réunion",
    "Transmettre la liste des participants",
    "Partager le guide des pétitions",
    "Programmer une visite de terrain",
    "Relancer la commune sur la convention",
    "Préparer la fiche projet avec l'association",
    "Confirmer la date de la formation",
    "Collecter les données du rapport semestriel",
)

# partnership kind -> title patterns ({year}, {theme})
PARTNERSHIP_TITLES: dict[str, tuple[str, ...]] = {
    "convention": ("Convention de partenariat {year} — {theme}", "Convention cadre {year}"),
    "mou": ("Protocole d'accord sur {theme}",),
    "subsidy": ("Subvention {year} — {theme}", "Appui financier au projet : {theme}"),
    "joint_project": ("Projet commun : {theme}",),
    "network": ("Adhésion au réseau ({year})",),
}
