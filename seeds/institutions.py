"""The institutions every programme region works with, seeded as organisations.

National bodies (shared: readable by every region) and, for each of the five programme
regions, its regional council, its regional investment centre (CRI) and its main public
university. Loading is idempotent (MERGE on a stable ``seed_key``); what users later edit
on these records is never overwritten by a reload.
"""

from __future__ import annotations

import uuid

from crm.text import name_key, search_key
from graph.institutions import merge_seed_organisations

__all__ = ["INSTITUTIONS", "load"]

_NAMESPACE = uuid.UUID("0f6c1d2e-7a51-4c1e-9a3b-5e8d2b7c4a10")

RABAT = "04.421.01.0"
CASABLANCA = "06.141.01.0"
AGADIR = "09.001.01.01"
OUJDA = "02.411.01.23"
TANGER = "01.511.01.0"
TETOUAN = "01.571.01.11"
BENI_MELLAL = "05.091.01.01"

# seed_key, kind, name (fr), name (ar), acronym, commune code, shared, parent seed_key, website
INSTITUTIONS: list[tuple] = [
    ("interieur", "central_administration", "Ministère de l'Intérieur", "وزارة الداخلية",
     "", RABAT, True, None, ""),
    ("dgct", "central_administration", "Direction générale des collectivités territoriales",
     "المديرية العامة للجماعات الترابية", "DGCT", RABAT, True, "interieur", ""),
    ("societe-civile", "central_administration", "Direction de la société civile",
     "مديرية المجتمع المدني", "", RABAT, True, None, ""),
    ("indh", "national_agency", "Initiative nationale pour le développement humain",
     "المبادرة الوطنية للتنمية البشرية", "INDH", RABAT, True, "interieur", "https://www.indh.ma"),
    ("anapec", "national_agency",
     "Agence nationale de promotion de l'emploi et des compétences",
     "الوكالة الوطنية لإنعاش التشغيل والكفاءات", "ANAPEC", None, True, None,
     "https://www.anapec.org"),
    # Regional councils
    ("region-06", "regional_council", "Conseil de la région Casablanca-Settat",
     "مجلس جهة الدار البيضاء-سطات", "", CASABLANCA, False, None, ""),
    ("region-09", "regional_council", "Conseil de la région Souss-Massa",
     "مجلس جهة سوس-ماسة", "", AGADIR, False, None, ""),
    ("region-02", "regional_council", "Conseil de la région de l'Oriental",
     "مجلس الجهة الشرقية", "", OUJDA, False, None, ""),
    ("region-01", "regional_council", "Conseil de la région Tanger-Tétouan-Al Hoceïma",
     "مجلس جهة طنجة-تطوان-الحسيمة", "", TANGER, False, None, ""),
    ("region-05", "regional_council", "Conseil de la région Béni Mellal-Khénifra",
     "مجلس جهة بني ملال-خنيفرة", "", BENI_MELLAL, False, None, ""),
    # Regional investment centres
    ("cri-06", "national_agency", "Centre régional d'investissement Casablanca-Settat",
     "المركز الجهوي للاستثمار لجهة الدار البيضاء-سطات", "CRI", CASABLANCA, False, None, ""),
    ("cri-09", "national_agency", "Centre régional d'investissement Souss-Massa",
     "المركز الجهوي للاستثمار لجهة سوس-ماسة", "CRI", AGADIR, False, None, ""),
    ("cri-02", "national_agency", "Centre régional d'investissement de l'Oriental",
     "المركز الجهوي للاستثمار للجهة الشرقية", "CRI", OUJDA, False, None, ""),
    ("cri-01", "national_agency", "Centre régional d'investissement Tanger-Tétouan-Al Hoceïma",
     "المركز الجهوي للاستثمار لجهة طنجة-تطوان-الحسيمة", "CRI", TANGER, False, None, ""),
    ("cri-05", "national_agency", "Centre régional d'investissement Béni Mellal-Khénifra",
     "المركز الجهوي للاستثمار لجهة بني ملال-خنيفرة", "CRI", BENI_MELLAL, False, None, ""),
    # Main public university of each programme region
    ("univ-06", "university", "Université Hassan II de Casablanca",
     "جامعة الحسن الثاني بالدار البيضاء", "UH2C", CASABLANCA, False, None, ""),
    ("univ-09", "university", "Université Ibn Zohr", "جامعة ابن زهر", "UIZ", AGADIR, False,
     None, ""),
    ("univ-02", "university", "Université Mohammed Premier", "جامعة محمد الأول", "UMP", OUJDA,
     False, None, ""),
    ("univ-01", "university", "Université Abdelmalek Essaâdi", "جامعة عبد المالك السعدي", "UAE",
     TETOUAN, False, None, ""),
    ("univ-05", "university", "Université Sultan Moulay Slimane",
     "جامعة السلطان مولاي سليمان", "USMS", BENI_MELLAL, False, None, ""),
]  # fmt: skip


def rows() -> list[dict]:
    out = []
    for key, kind, name, name_ar, acronym, commune, shared, parent, website in INSTITUTIONS:
        out.append(
            {
                "seed_key": key,
                "uid": uuid.uuid5(_NAMESPACE, key).hex,
                "commune": commune,
                "parent": parent,
                "props": {
                    "name": name,
                    "name_ar": name_ar,
                    "acronym": acronym,
                    "kind": kind,
                    "shared": shared,
                    "website": website,
                    "search_key": search_key(name, name_ar, acronym),
                    "name_key": name_key(name, name_ar, acronym),
                },
            }
        )
    return out


def load() -> int:
    """Create the institutions that are missing; returns how many institutions exist."""
    return merge_seed_organisations(rows())
