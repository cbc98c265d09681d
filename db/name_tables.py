"""The written forms of Indonesia's provinces, regencies and cities and of countries that
the official list and pycountry do not hold: English names, abbreviations, former and popular
names, government prefixes (data for db/resolve.py and db/countries.py).
"""

from __future__ import annotations

# English names of the 38 provinces (code -> names; the first is the usual one).
PROVINCE_EN: dict[str, tuple[str, ...]] = {
    "11": ("Aceh",),
    "12": ("North Sumatra",),
    "13": ("West Sumatra",),
    "14": ("Riau",),
    "15": ("Jambi",),
    "16": ("South Sumatra",),
    "17": ("Bengkulu",),
    "18": ("Lampung",),
    "19": ("Bangka Belitung Islands", "Bangka Belitung"),
    "21": ("Riau Islands",),
    "31": ("Jakarta", "Special Capital Region of Jakarta", "Special Region of Jakarta"),
    "32": ("West Java",),
    "33": ("Central Java",),
    "34": ("Special Region of Yogyakarta", "Yogyakarta Special Region"),
    "35": ("East Java",),
    "36": ("Banten",),
    "51": ("Bali",),
    "52": ("West Nusa Tenggara",),
    "53": ("East Nusa Tenggara",),
    "61": ("West Kalimantan",),
    "62": ("Central Kalimantan",),
    "63": ("South Kalimantan",),
    "64": ("East Kalimantan",),
    "65": ("North Kalimantan",),
    "71": ("North Sulawesi",),
    "72": ("Central Sulawesi",),
    "73": ("South Sulawesi",),
    "74": ("Southeast Sulawesi",),
    "75": ("Gorontalo",),
    "76": ("West Sulawesi",),
    "81": ("Maluku", "Moluccas"),
    "82": ("North Maluku", "North Moluccas"),
    "91": ("Papua",),
    "92": ("West Papua",),
    "93": ("South Papua",),
    "94": ("Central Papua",),
    "95": ("Highland Papua", "Papua Highlands"),
    "96": ("Southwest Papua",),
}

# Abbreviations, former and popular names of provinces (each names one province only).
PROVINCE_SHORT: dict[str, tuple[str, ...]] = {
    "11": ("NAD", "Nanggroe Aceh Darussalam", "Daerah Istimewa Aceh"),
    "12": ("Sumut",),
    "13": ("Sumbar",),
    "16": ("Sumsel",),
    "19": ("Babel", "Bangka Belitung"),
    "21": ("Kepri",),
    "31": ("DKI", "DKI Jakarta", "Jakarta", "Daerah Khusus Jakarta", "Daerah Khusus Ibukota"),
    "32": ("Jabar",),
    "33": ("Jateng",),
    "34": ("DIY", "DI Yogyakarta", "Daerah Istimewa Yogyakarta"),
    "35": ("Jatim",),
    "52": ("NTB",),
    "53": ("NTT",),
    "61": ("Kalbar",),
    "62": ("Kalteng",),
    "63": ("Kalsel",),
    "64": ("Kaltim",),
    "65": ("Kaltara",),
    "71": ("Sulut",),
    "72": ("Sulteng",),
    "73": ("Sulsel",),
    "74": ("Sultra",),
    "76": ("Sulbar",),
    "82": ("Malut",),
    "92": ("Pabar", "Irian Jaya Barat", "Irjabar"),
    "93": ("Pasel",),
    "94": ("Papteng",),
    "95": ("Papeg",),
    "96": ("PBD",),
}

# Popular names a province shares with a city: "Yogyakarta" may be either.
PROVINCE_SHARED: dict[str, tuple[str, ...]] = {"34": ("Yogyakarta", "Jogja", "Yogya", "Jogjakarta")}

# Popular or former names of regencies and cities.
AREA_SHORT: dict[str, tuple[str, ...]] = {
    "34.71": ("Jogja", "Yogya"),
    "33.72": ("Solo",),  # Kota Surakarta
    "73.71": ("Ujung Pandang",),  # Kota Makassar
    "31.71": ("Jakpus", "Central Jakarta"),
    "31.72": ("Jakut", "North Jakarta"),
    "31.73": ("Jakbar", "West Jakarta"),
    "31.74": ("Jaksel", "South Jakarta"),
    "31.75": ("Jaktim", "East Jakarta"),
    "31.01": ("Thousand Islands",),
    "36.74": ("Tangsel",),  # Kota Tangerang Selatan
    "73.10": ("Pangkep",),  # Kabupaten Pangkajene dan Kepulauan
    "12.12": ("Toba Samosir", "Tobasa"),  # Kabupaten Toba, so named until 2020
    "12.72": ("Siantar",),  # Kota Pematangsiantar
    "12.77": ("Padang Sidempuan",),  # Kota Padangsidimpuan
    "12.01": ("Tapteng",),
    "12.02": ("Taput",),
    "12.03": ("Tapsel",),
    "12.22": ("Labusel",),
    "12.23": ("Labura",),
}

# How each kind of written form reads, in order of preference when a name is ambiguous
# (an official name beats a bare one).
PROVINCE_PREFIXES = ("provinsi", "prov", "propinsi", "pemprov", "pemerintah provinsi", "pemda")
PROVINCE_SUFFIXES = ("province",)  # "East Java Province", "Province of East Java"
REGENCY_PREFIXES = ("kabupaten", "kab", "pemkab", "pemerintah kabupaten", "pemda")
REGENCY_SUFFIXES = ("regency",)
CITY_PREFIXES = (
    "kota",
    "pemkot",
    "pemerintah kota",
    "kotamadya",
    "kota madya",
    "kodya",
    "pemda",
)
CITY_SUFFIXES = ("city",)
GOVERNMENT_OF = ("pemerintah daerah", "pemerintah", "regional government of", "government of")

# Short and colloquial forms pycountry does not have (Indonesian and English usage).
# These win over ISO codes: "AS" is Amerika Serikat here, not American Samoa.
COUNTRY_SHORT: dict[str, str] = {
    "Korsel": "KR",
    "Korea": "KR",
    "South Korea": "KR",
    "Republic of Korea": "KR",
    "Republik Korea": "KR",
    "Korut": "KP",
    "North Korea": "KP",
    "RRT": "CN",
    "RRC": "CN",
    "Tiongkok": "CN",
    "Cina": "CN",
    "PRC": "CN",
    "Republik Rakyat Cina": "CN",
    "AS": "US",
    "USA": "US",
    "Amerika": "US",
    "America": "US",
    "United States of America": "US",
    "UEA": "AE",
    "UAE": "AE",
    "Emirat Arab": "AE",
    "UK": "GB",
    "Inggris": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Inggris Raya": "GB",
    "Holland": "NL",
    "Rusia": "RU",
    "Russia": "RU",
    "Turkey": "TR",
    "Vietnam": "VN",
    "Prancis": "FR",
    "Perancis": "FR",
    "Ceko": "CZ",
    "Brunei": "BN",
    "Timor Leste": "TL",
    "East Timor": "TL",
    "Palestina": "PS",
    "Palestine": "PS",
    "Suriah": "SY",
    "Syria": "SY",
    "Laos": "LA",
    "Makau": "MO",
    "Macau": "MO",
    "Hongkong": "HK",
    "Vatikan": "VA",
    "Vatican": "VA",
    "Arab Saudi": "SA",
    "Saudi": "SA",
    "KSA": "SA",
    "Filipina": "PH",
    "Selandia Baru": "NZ",
    "Jepang": "JP",
    "Nippon": "JP",
}

# Indonesian display names where the usual Indonesian name differs from pycountry's.
COUNTRY_ID: dict[str, str] = {"CN": "Tiongkok", "GB": "Inggris", "TL": "Timor Leste"}
