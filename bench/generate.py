"""Realistic synthetic collections for the benchmark: cases (JSON, the import format) and notes.

Regions come from the official list in seeds/idn-area (real names such as "Kota Surabaya" with
their provinces), skewed the way real collections are (a few regions hold many cases); partners
are real places and bodies in many countries, of every kind; sectors and types come from
seeds/vocabulary.toml. Every case cites a source (a news article or a compiled list) and about
four in ten carry a quote. The output is deterministic for a given size and seed.
"""

from __future__ import annotations

import csv
import json
import random
import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Partner side: country (as a user would write it) -> sub-state partners (cities, provinces).
PLACES: dict[str, list[str]] = {
    "Japan": [
        "Shizuoka Prefecture",
        "Kitakyushu",
        "Osaka",
        "Kyoto",
        "Fukuoka Prefecture",
        "Hokkaido",
        "Kanagawa Prefecture",
        "Toyama Prefecture",
        "Okayama",
        "Kochi",
    ],
    "China": [
        "Jinan",
        "Guangzhou",
        "Xiamen",
        "Hangzhou",
        "Nanning",
        "Chongqing",
        "Shenzhen",
        "Guangxi Zhuang Autonomous Region",
        "Fujian Province",
    ],
    "South Korea": [
        "Nonsan",
        "Busan",
        "Seoul",
        "Gyeongsangbuk-do",
        "Changwon",
        "Jeonju",
        "Daegu",
        "Gangwon Province",
    ],
    "Singapore": ["Singapore"],
    "Australia": [
        "Western Australia",
        "Northern Territory",
        "Darwin",
        "Perth",
        "Brisbane",
        "South Australia",
        "Victoria",
    ],
    "Malaysia": ["Penang", "Johor", "Melaka", "Kuching", "Sabah", "Selangor"],
    "Netherlands": ["Rotterdam", "Amsterdam", "Groningen", "Den Haag", "Zwolle"],
    "United States": ["Seattle", "Hawaii", "Los Angeles", "Oregon", "San Francisco"],
    "Germany": ["Bremen", "Freiburg", "Hamburg", "Bavaria", "Baden-Württemberg"],
    "France": ["Lyon", "Marseille", "Toulouse", "Nantes"],
    "United Kingdom": ["Liverpool", "Birmingham", "Edinburgh", "Manchester"],
    "Thailand": ["Chiang Mai", "Phuket", "Songkhla", "Khon Kaen"],
    "Vietnam": ["Ho Chi Minh City", "Da Nang", "Hai Phong", "Can Tho"],
    "India": ["Chennai", "Gujarat", "Kerala", "Kolkata"],
    "Turkey": ["Istanbul", "Izmir", "Bursa", "Ankara"],
    # Not in the vocabulary: imports add these countries by name.
    "Brazil": ["Curitiba", "São Paulo", "Recife"],
    "Egypt": ["Alexandria", "Ismailia"],
    "Timor-Leste": ["Dili", "Baucau"],
    "Papua New Guinea": ["Port Moresby", "Vanimo"],
    "Philippines": ["Davao", "Cebu", "Zamboanga"],
}
STATE_BODIES = [
    "Ministry of Foreign Affairs of {c}",
    "Embassy of {c} in Jakarta",
    "Consulate General of {c} in Surabaya",
    "Government of {c}",
]
NON_STATE = [
    "{p} University",
    "{p} Chamber of Commerce",
    "{p} Tourism Board",
    "{p} Chamber of Industry",
]
FOUNDATIONS = [
    ("Temasek Foundation", "Singapore"),
    ("JICA", "Japan"),
    ("KOICA", "South Korea"),
    ("KOMPAK", "Australia"),
    ("GIZ", "Germany"),
    ("USAID", "United States"),
    ("Asia Foundation", "United States"),
    ("British Council", "United Kingdom"),
]
OUTLETS = [
    "Kompas",
    "Tempo",
    "Antara",
    "The Jakarta Post",
    "detikNews",
    "Jawa Pos",
    "Pikiran Rakyat",
    "CNN Indonesia",
    "Republika",
    "Tribun Jatim",
    "Surya",
    "Radar Malang",
    "Bisnis Indonesia",
    "Media Indonesia",
    "Suara Merdeka",
]
LISTS = [
    "Kementerian Dalam Negeri, Daftar Kerja Sama Daerah dengan Pihak Luar Negeri {y}",
    "Kementerian Luar Negeri, Direktori Kerja Sama Sister City/Province {y}",
    "Biro Pemerintahan dan Otonomi Daerah Provinsi {p}, Laporan Kerja Sama Luar Negeri {y}",
]
VERBS = [
    "menandatangani nota kesepahaman kerjasama",
    "menjalin kerja sama sister city",
    "sepakat memperkuat kerjasama",
    "membahas penjajakan kerja sama",
    "meluncurkan program kerja sama",
    "memperpanjang kerjasama",
]
TOPICS = [
    "pengembangan pariwisata dan promosi budaya",
    "pertukaran pelajar dan beasiswa pendidikan",
    "peningkatan ekspor produk UMKM",
    "pengelolaan sampah dan lingkungan hidup",
    "investasi industri dan perdagangan",
    "pelatihan aparatur pemerintahan",
    "pembangunan transportasi kota",
    "ekonomi digital dan teknologi",
    "kesehatan masyarakat",
    "ketahanan pangan dan pertanian",
]
NOTE_BODIES = [
    "Compare with the {r} case: same sector, different partner kind. #compare",
    "The source gives no end date; check the Kemendagri list. #todo #dates",
    "Good example of {t} for chapter 3 (sub-state actors). #chapter3",
    "Quote is from a press release, not the MoU itself; find the document. #sources",
    "Partner kind unclear: city government or chamber? Ask the biro kerja sama. #unclear",
]


def _areas() -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(official name, province name) for every province, regency and city."""
    with (SEEDS / "idn-area" / "provinces.csv").open(encoding="utf-8") as fh:
        provinces = {r["code"]: r["name"] for r in csv.DictReader(fh)}
    out = [(f"Provinsi {name}", name) for name in provinces.values()]
    with (SEEDS / "idn-area" / "regencies.csv").open(encoding="utf-8") as fh:
        out += [(r["name"], provinces[r["province_code"]]) for r in csv.DictReader(fh)]
    return out, provinces


def _partners() -> list[tuple[str, str, str]]:
    """(partner name, country as written, kind) for every partner the generator may pick."""
    out: list[tuple[str, str, str]] = []
    for country, places in PLACES.items():
        out += [(p, country, "sub_state") for p in places]
        out += [(t.format(c=country), country, "state") for t in STATE_BODIES]
        out += [(t.format(p=p), country, "non_state") for p in places for t in NON_STATE]
    out += [(name, country, "non_state") for name, country in FOUNDATIONS]
    return out


def _zipf_weights(n: int, rng: random.Random, s: float = 0.9) -> list[float]:
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    return [1.0 / r**s for r in ranks]


def generate_cases(n: int, seed: int = 6) -> list[dict[str, Any]]:
    """`n` case records in the import format (see db/io.py)."""
    rng = random.Random(seed)
    vocab = tomllib.loads((SEEDS / "vocabulary.toml").read_text(encoding="utf-8"))
    sectors = [(s["id"], s["en"], s["id_label"]) for s in vocab["sector"]]
    types = [(t["id"], t["en"], t["id_label"]) for t in vocab["type"]]
    areas, _provinces = _areas()
    area_w = _zipf_weights(len(areas), rng)
    partners = _partners()
    partner_w = _zipf_weights(len(partners), rng, 0.7)
    lists = [t.format(y=y, p=rng.choice(areas)[1]) for t in LISTS for y in range(2012, 2025, 3)]
    region_picks = rng.choices(areas, area_w, k=n)
    partner_picks = rng.choices(partners, partner_w, k=n)
    out = []
    for i in range(n):
        region, province = region_picks[i]
        partner, country, kind = partner_picks[i]
        tid, t_en, t_id = rng.choice(types)
        secs = rng.sample(sectors, rng.choice((1, 1, 2, 2, 3)))
        year = rng.randint(1990, 2025)
        date = str(year) if rng.random() < 0.5 else f"{year}-{rng.randint(1, 12):02d}"
        if rng.random() < 0.1:
            date = ""
        verb, topic = rng.choice(VERBS), rng.choice(TOPICS)
        short = region.replace("Provinsi ", "").replace("Kabupaten ", "").replace("Kota ", "")
        title = rng.choice(
            (
                f"{t_id} {short} – {partner}",
                f"{short} and {partner}: {t_en.lower()} on {secs[0][1].lower()}",
                f"Kerja sama {region} dengan {partner} ({secs[0][2].lower()})",
            )
        )
        summary = f"Pemerintah {region} dan {partner} ({country}) {verb} di bidang {topic}" + (
            f" pada {year}." if date else "."
        )
        if rng.random() < 0.3:
            citation = rng.choice(lists)
        else:
            outlet = rng.choice(OUTLETS)
            day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            citation = f'{outlet}, {day}, "{short} {verb} dengan {partner}" (no. {i % 997})'
        rec: dict[str, Any] = {
            "id": f"bench-{i:06d}",
            "title": title,
            "region": region,
            "province": province,
            "partner": partner,
            "partner_country": country,
            "partner_kind": kind if rng.random() < 0.7 else "",
            "type": tid if rng.random() < 0.8 else t_en,
            "date": date,
            "date_as_stated": f"tahun {year}" if date and rng.random() < 0.2 else "",
            "status": rng.choice(("active", "signed", "proposed", "", "")),
            "summary": summary,
            "sectors": [s[1] if rng.random() < 0.5 else s[0] for s in secs],
            "source": citation,
        }
        if rng.random() < 0.4:
            rec["evidence"] = [
                {
                    "source": citation,
                    "quote": f"{region} {verb} dengan {partner} dalam bidang {topic}",
                }
            ]
        out.append(rec)
    return out


def generate_notes(cases: list[dict[str, Any]], seed: int = 6) -> dict[str, Any]:
    """Notes on a tenth of the cases, in the notes JSON export format (`import notes`)."""
    rng = random.Random(seed + 1)
    chosen = rng.sample(cases, len(cases) // 10)
    notes = []
    for j, c in enumerate(chosen):
        body = rng.choice(NOTE_BODIES).format(r=c["region"], t=c["type"])
        notes.append(
            {
                "id": f"bench-note-{j:06d}",
                "target_type": "case",
                "target_id": c["id"],
                "body": body,
                "tags": re.findall(r"#(\w+)", body),
                "created_at": "2026-01-01T00:00:00+00:00",
                "updated_at": "2026-01-01T00:00:00+00:00",
            }
        )
    return {"format": "paradiplo-notes", "version": 1, "notes": notes}


def write_collection(n: int, folder: Path, seed: int = 6) -> tuple[Path, Path]:
    """Write cases-N.json and notes-N.json into `folder`; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = generate_cases(n, seed)
    cases_path = folder / f"cases-{n}.json"
    notes_path = folder / f"notes-{n}.json"
    cases_path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    notes_path.write_text(
        json.dumps(generate_notes(cases, seed), ensure_ascii=False), encoding="utf-8"
    )
    return cases_path, notes_path


# ------------------------------------------------------------------- world sister-city pairs
# A list of town twinnings as the world's lists hold them (~26,000 pairs): both sides are
# cities of any country, named as people write them. No such list ships with the project, so
# this one is synthesised: real city names per country, and further towns made from each
# country's naming patterns, with the ambiguities real lists have (the same name in several
# countries, one city written two ways). Indonesian towns use the official names.
# country: real cities|name stems|suffixes for further towns (each list split on ";").
WORLD_TABLE = """
Germany: Berlin;Hamburg;München;Köln;Frankfurt am Main;Stuttgart;Bremen|Oster;Wald;Linden;Brandt;Stein;Eichen;Rosen;Hohen;Neu|burg;heim;dorf;hausen;feld;stadt;bach;berg
France: Paris;Lyon;Marseille;Toulouse;Nantes;Bordeaux;Lille;Rennes|Saint-Martin;Mont;Ville;Châtel;Beau;Saint-Jean;Fontaine|-sur-Loire;-la-Forêt;-le-Château;ville;-en-Bresse;-sur-Mer
United States: Seattle;Portland;San Francisco;Los Angeles;Boston;Chicago;Austin|Spring;Oak;Green;Fair;Lake;Madison;Franklin;Clin|field;ville;wood; City;ton; Falls; Heights;burg
Japan: Tokyo;Osaka;Kyoto;Kitakyushu;Fukuoka;Sapporo;Shizuoka;Kobe|Higashi;Nishi;Kita;Minami;Yama;Kawa;Shima;Naka;Taka|moto;hara;saki;mura;yama;gawa;shima;oka
China: Beijing;Shanghai;Guangzhou;Xiamen;Hangzhou;Nanning;Chongqing|Jin;Xin;Chang;Nan;Bei;Dong;Hai;Lu;Feng|zhou;yang;an;ning;shan;cheng;jiang;de
South Korea: Seoul;Busan;Daegu;Incheon;Gwangju;Changwon;Jeonju;Nonsan|Gyeong;Chung;Jeon;Gang;Yang;Suwon;Pyeong;Hwa|-si;-gun;ju;san;won;cheon
Italy: Roma;Milano;Napoli;Torino;Firenze;Bologna;Venezia|San ;Monte;Castel;Villa;Borgo ;Santa |vecchio;franco; Giorgio;nuovo; Maria;fiore
Poland: Warszawa;Kraków;Łódź;Wrocław;Poznań;Gdańsk;Szczecin|Nowy ;Stary ;Biała ;Zielona ;Wola ;Górny |Dwór;Gród;Targ;Sącz;Brzeg;Las
Russia: Moskva;Sankt-Peterburg;Kazan;Novosibirsk;Yekaterinburg;Vladivostok|Novo;Staro;Krasno;Belo;Pereslavl;Sosno|gorsk;grad;slavl;ovka;dar;yarsk
Brazil: São Paulo;Rio de Janeiro;Curitiba;Recife;Salvador;Fortaleza|São ;Santa ;Nova ;Porto ;Campo ;Vila |José;Cruz;Esperança;Alegre;Grande;Verde
Mexico: Ciudad de México;Guadalajara;Monterrey;Puebla;Mérida;Oaxaca|San ;Santa ;Villa ;Puerto ;Ciudad |Juan;Cruz;Victoria;Hidalgo;del Carmen;Guadalupe
Spain: Madrid;Barcelona;Valencia;Sevilla;Córdoba;Santiago de Compostela|San ;Villa;Puerto ;Torre;Alcalá de ;Castro|nueva;Real;franca;Henares;del Río;mar
Argentina: Buenos Aires;Córdoba;Rosario;Mendoza;La Plata;Salta|San ;Villa ;General ;Santa |Martín;Rosa;Rafael;Fe;Pico;Luis
Australia: Perth;Darwin;Brisbane;Sydney;Melbourne;Adelaide;Victoria|Port ;Mount ;New ;Broken ;Alice |Hedland;Gambier;castle;Hill;Springs;Augusta
Canada: Toronto;Vancouver;Montréal;Ottawa;Calgary;Victoria;Halifax|Saint-;Port ;North ;New ;Prince |Laurent;Hope;Bay;Westminster;George;Albert
United Kingdom: London;Liverpool;Birmingham;Edinburgh;Manchester;Glasgow|Ash;Brad;Chester;Kings;Mil;Wey;Stan|ford;ton;bridge;field;mouth;ley;wick
Netherlands: Amsterdam;Rotterdam;Den Haag;Groningen;Zwolle;Utrecht|Oost;West;Noord;Zuid;Heer;Hoog|erhout;voorde;dam;veen;wijk;horst
Turkey: İstanbul;İzmir;Bursa;Ankara;Antalya;Konya|Kara;Ak;Yeni;Eski;Kızıl;Sarı|köy;hisar;şehir;dere;ova;pınar
Philippines: Manila;Davao City;Cebu City;Zamboanga City;Quezon City;Iloilo City|San ;Santa ;General ;Santo |Fernando;Rosa;Tomas;Pablo;Carlos;Nicolas
Malaysia: Kuala Lumpur;Penang;Johor Bahru;Melaka;Kuching;Kota Kinabalu|Kota ;Kuala ;Bandar ;Sungai ;Batu |Bharu;Terengganu;Petani;Pahat;Tinggi;Raja
Timor-Leste: Dili;Baucau;Maliana;Suai||
"""


def _world() -> dict[str, tuple[list[str], list[str], list[str]]]:
    """WORLD_TABLE read: country -> (real cities, name stems, suffixes)."""
    out = {}
    for line in WORLD_TABLE.strip("\n").splitlines():
        country, _, rest = line.partition(": ")
        real, stems, suffixes = ([x for x in part.split(";") if x] for part in rest.split("|"))
        out[country] = (real, stems, suffixes)
    return out


WORLD = _world()


def generate_pairs(n: int = 26_000, seed: int = 26) -> list[dict[str, Any]]:
    """`n` sister-city pairs in the import format, both sides anywhere in the world."""
    rng = random.Random(seed)
    areas, _provinces = _areas()
    towns: list[tuple[str, str]] = []
    for country, (real, stems, suffixes) in WORLD.items():
        towns += [(c, country) for c in real]
        towns += [(s + x, country) for s in stems for x in suffixes]
        towns += [
            (a + b.lower() + x, country)
            for a in stems
            for b in stems
            if a != b and not a.endswith((" ", "-")) and not b.endswith((" ", "-"))
            for x in suffixes
        ]
    # The same town written two ways, as merged lists do.
    towns += [("Frankfurt (Main)", "Germany"), ("Cebu", "Philippines"), ("Kobe City", "Japan")]
    weights = _zipf_weights(len(towns), rng, 0.6)
    area_w = _zipf_weights(len(areas), rng)
    out = []
    seen: set[tuple[str, str, str, str]] = set()
    i = 0
    while len(out) < n:
        i += 1
        if rng.random() < 0.1:  # an Indonesian town, with its official name and province
            home, province = rng.choices(areas, area_w)[0]
            home_country = "Indonesia"
        else:
            (home, home_country), province = rng.choices(towns, weights)[0], ""
        partner, country = rng.choices(towns, weights)[0]
        if country == home_country or (home, home_country, partner, country) in seen:
            continue
        seen.add((home, home_country, partner, country))
        year = rng.randint(1950, 2024)
        out.append(
            {
                "id": f"pair-{len(out):06d}",
                "title": f"{home} – {partner}",
                "region": home,
                "region_country": home_country,
                "province": province,
                "partner": partner,
                "partner_country": country,
                "partner_kind": "sub_state",
                "type": "sister-city",
                "date": str(year) if rng.random() < 0.7 else "",
                "status": "established",
                "sectors": [],
                "source": f"Sister cities of {home_country} (compiled list, {year // 10 * 10}s)",
            }
        )
    return out


def write_pairs(n: int, folder: Path, seed: int = 26) -> Path:
    """Write pairs-N.json into `folder`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"pairs-{n}.json"
    path.write_text(json.dumps(generate_pairs(n, seed), ensure_ascii=False), encoding="utf-8")
    return path
