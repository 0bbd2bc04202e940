"""Moroccan first and family names, in Latin and Arabic script, with the spelling variants real
records carry (for the data generator, ``seeds.generator``).

Each name is one person's name written several ways: the first spelling is the most common,
the others appear less often — Mohamed / Mohammed / Mohamad, El Amrani / Amrani / Elamrani,
Aït / Ait, Benali / Ben Ali; in Arabic, with or without the hamza on the alef (أحمد / احمد),
ة or ه at the end, the article written or not. ``crm.text.name_key`` folds all of them to one
key, which is what search and duplicate detection rely on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["FAMILY_NAMES", "FEMALE_NAMES", "MALE_NAMES", "Name", "pick_spelling"]


@dataclass(frozen=True)
class Name:
    """A name and its spellings: ``latin[0]`` and ``arabic[0]`` are the usual ones."""

    latin: tuple[str, ...]
    arabic: tuple[str, ...]


def _names(table: str) -> tuple[Name, ...]:
    """Lines "Latin|variant|… = arabic|variant|…" -> names."""
    names = []
    for line in table.strip().splitlines():
        latin, arabic = (part.strip() for part in line.split("="))
        names.append(Name(tuple(latin.split("|")), tuple(arabic.split("|"))))
    return tuple(names)


MALE_NAMES = _names(
    """
    Mohamed|Mohammed|Mohamad|Mhamed = محمد
    Ahmed|Ahmad = أحمد|احمد
    Youssef|Youssouf|Yousef = يوسف
    Said|Saïd|Saaid = سعيد
    Hassan|Hasan = حسن
    Omar|Omer = عمر
    Karim|Kareem = كريم
    Rachid|Rachide|Rashid = رشيد
    Abdellah|Abdallah|Abdelah = عبد الله|عبدالله
    Abderrahim|Abderahim = عبد الرحيم|عبدالرحيم
    Mustapha|Mostafa|Moustapha = مصطفى
    Hamid|Hamide = حميد
    Brahim|Ibrahim = إبراهيم|ابراهيم
    Lahcen|Lahsen|Lahoucine = لحسن
    Hicham|Hisham = هشام
    Khalid|Khaled = خالد
    Noureddine|Nourdine|Nour Eddine = نور الدين|نورالدين
    Aziz|Abdelaziz = عزيز
    Driss|Idriss = إدريس|ادريس
    Mehdi|Mahdi = المهدي|مهدي
    Ayoub|Ayyoub = أيوب|ايوب
    Anass|Anas = أنس|انس
    Hamza|Hamsa = حمزة|حمزه
    Soufiane|Sofiane|Sufian = سفيان
    Mbarek|M'barek|Embarek = امبارك|مبارك
    Lhoussaine|Lhoucine|El Houssaine = الحسين|لحسين
    Aissa|Aïssa = عيسى
    Jamal|Djamal = جمال
    Abdelkader|Abdelkadir = عبد القادر|عبدالقادر
    Tarik|Tariq = طارق
    """
)

FEMALE_NAMES = _names(
    """
    Fatima|Fatema|Fadma = فاطمة|فاطمه
    Khadija|Khadidja|Khadyja = خديجة|خديجه
    Amina|Aamina = أمينة|امينة
    Naima|Naïma|Naeema = نعيمة|نعيمه
    Zineb|Zainab|Zaynab = زينب
    Salma|Selma = سلمى
    Hanane|Hanan = حنان
    Meryem|Maryam|Meriem = مريم
    Fatima Zahra|Fatimazahra|Fatima-Zahra = فاطمة الزهراء|فاطمة الزهرة
    Aicha|Aïcha|Aisha = عائشة|عائشه|عايشة
    Latifa|Latefa = لطيفة|لطيفه
    Malika|Malica = مليكة|مليكه
    Hasna|Hassna = حسناء|حسنا
    Karima|Kareema = كريمة|كريمه
    Nadia|Nadiya = نادية|ناديه
    Souad|Suad = سعاد
    Imane|Iman|Imen = إيمان|ايمان
    Siham|Sihame = سهام
    Houda|Hoda|Huda = هدى
    Rachida|Rashida = رشيدة|رشيده
    Saida|Saïda = سعيدة|سعيده
    Ilham|Ilhame = إلهام|الهام
    Loubna|Lubna = لبنى
    Hayat|Hayate = حياة
    Itto|Ito = إيطو|ايطو
    Touria|Thouria|Thuraya = ثريا
    Asmae|Asmaa|Asma = أسماء|اسماء
    Ghizlane|Ghizlan = غزلان
    Kaoutar|Kawtar|Kaouthar = كوثر
    Nezha|Nazha = نزهة|نزهه
    """
)

FAMILY_NAMES = _names(
    """
    El Amrani|Amrani|Elamrani = العمراني|عمراني
    Alami|El Alami|Elalami = العلمي|علمي
    Bennani|Benani = بناني
    El Idrissi|Idrissi|Drissi = الإدريسي|الادريسي|ادريسي
    Tazi|Tazy = التازي|تازي
    Berrada|Berada = برادة|براده
    Ouazzani|El Ouazzani|Wazzani = الوزاني|وزاني
    Chraibi|Chraïbi|Cheraibi = الشرايبي|شرايبي
    Benali|Ben Ali|Ben Aly = بنعلي|بن علي
    Ait Ahmed|Aït Ahmed|Ait-Ahmed = آيت أحمد|ايت احمد|أيت أحمد
    Ait Ouarab|Aït Ouarab = آيت واعراب|ايت واعراب
    Lahlou|Lahlu = لحلو
    Naciri|Nassiri|Nasiri = الناصري|ناصري
    El Fassi|Fassi = الفاسي|فاسي
    Benjelloun|Ben Jelloun|Benjeloun = بنجلون|بن جلون
    El Mansouri|Mansouri = المنصوري|منصوري
    Bouzid|Bou Zid = بوزيد
    Ouchen|Ouchenne = أوشن|اوشن
    Amzil|Amzile = أمزيل|امزيل
    Oubaha|Ou Baha = أوباها|اوباها
    El Khatib|Khatib|El Khattib = الخطيب|خطيب
    Zerouali|Zeroual = الزروالي|زروالي
    Ouahbi|Wahbi = وهبي
    Bakkali|El Bakkali|Baqali = البقالي|بقالي
    Haddad|El Haddad = الحداد|حداد
    Jaouhari|El Jaouhari|Jawhari = الجوهري|جوهري
    Bennis|Benis = بنيس
    Kabbaj|Kebbaj = القباج|قباج
    Ouali|El Ouali = الوالي|والي
    Saidi|Saïdi|Essaidi = السعيدي|سعيدي
    Belhaj|Belhadj|Bel Haj = بلحاج
    Moussaoui|El Moussaoui|Mousaoui = الموساوي|موساوي
    Hamdaoui|El Hamdaoui = الحمداوي|حمداوي
    Rifi|Errifi|Er-Rifi = الريفي|ريفي
    Boukhari|El Boukhari|Bukhari = البخاري|بخاري
    Tahiri|Ettahiri|Et-Tahiri = الطاهري|طاهري
    Ouakrim|Ou Akrim = أوكريم|اوكريم
    Oulad Ali|Ouled Ali = أولاد علي|اولاد علي
    Sebti|Essebti = السبتي|سبتي
    Filali|El Filali = الفيلالي|فيلالي
    """
)


def pick_spelling(rng: random.Random, spellings: tuple[str, ...], usual: float = 0.7) -> str:
    """The usual spelling with probability ``usual``, else one of the variants."""
    if len(spellings) == 1 or rng.random() < usual:
        return spellings[0]
    return rng.choice(spellings[1:])
