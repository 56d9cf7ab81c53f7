"""Expense categories as people type them: `gas`, `diesel` -> fuel, `coffee`, `lunch` -> meals, `uber` -> travel.

An org has its own list of categories (Org.expense_categories) and may add its own synonyms
(Org.expense_synonyms); the common ones below work for every org whose list has their category.
A word is matched exactly, then without a plural `s`, then as a synonym, then fuzzily (`deisel`,
`parkng`) against the categories and their synonyms. Words are data a person typed, not words we
say: they stay in English whatever the reply's language (like the grammar's keywords).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

FALLBACK_CATEGORY = "other"
FUZZY_CUTOFF = 0.75

# category -> the words that mean it. An org whose list lacks the category never matches them.
COMMON_SYNONYMS: dict[str, tuple[str, ...]] = {
    "fuel": (
        *("gas", "gasoline", "diesel", "petrol", "propane", "refuel", "fillup", "fill-up", "gasstation"),
        *("gasolina", "combustible", "nafta", "gasolinera", "gasoil"),
    ),
    "mileage": (
        *("miles", "mile", "km", "kms", "kilometers", "kilometres", "odometer"),
        *("kilometros", "millas", "millaje", "kilometraje"),
    ),
    "parts": (
        *("part", "hardware", "spares", "spare", "hinge", "hinges", "filter", "filters"),
        *("pieza", "piezas", "repuesto", "repuestos", "refaccion", "refacciones", "ferreteria", "filtro"),
    ),
    "tools": ("tool", "drill", "saw", "bits", "blades", "herramienta", "herramientas", "taladro", "sierra"),
    "meals": (
        *("meal", "food", "coffee", "lunch", "dinner", "breakfast", "snack", "snacks", "restaurant"),
        *("drinks", "drink", "water", "groceries", "takeout", "pizza"),
        *("comida", "comidas", "almuerzo", "cena", "desayuno", "cafe", "agua", "bebida", "bebidas"),
        *("restaurante", "antojitos", "tacos"),
    ),
    "travel": (
        *("uber", "lyft", "taxi", "cab", "train", "bus", "subway", "metro", "flight", "airfare", "plane"),
        *("transit", "fare", "rideshare", "ferry", "rental", "carrental", "tram"),
        *("autobus", "camion", "colectivo", "tren", "pasaje", "vuelo", "avion", "transporte", "viaje"),
    ),
    "lodging": ("hotel", "motel", "airbnb", "room", "inn", "hostel", "hospedaje", "alojamiento", "cuarto"),
    "parking": ("park", "garage", "meter", "valet", "estacionamiento", "parqueo", "parqueadero", "cochera"),
    "tolls": ("toll", "turnpike", "ezpass", "e-zpass", "bridge", "tunnel", "peaje", "peajes", "caseta", "puente"),
    "supplies": (
        *("supply", "materials", "material", "office", "paper", "cleaning", "consumables"),
        *("materiales", "suministros", "limpieza", "papeleria", "insumos"),
    ),
    "phone": (
        *("cell", "mobile", "sim", "data", "airtime", "topup", "top-up", "cellphone"),
        *("celular", "telefono", "movil", "saldo", "recarga", "datos"),
    ),
}
COMMON_SYNONYMS["other"] = ("otro", "otros", "varios")
# Orgs created before `travel` was a default call it `transit`: the same words mean it there.
COMMON_SYNONYMS["transit"] = (*(word for word in COMMON_SYNONYMS["travel"] if word != "transit"), "travel")


def _plain(word: str) -> str:
    """`Gasolína ` -> `gasolina`: case and accents do not count."""
    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def vocabulary(categories: Iterable[str], own: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Every word that names one of `categories` -> that category (as the org spells it)."""
    names = {_plain(category): category for category in categories}
    words: dict[str, str] = {}
    for word, category in own:  # the org's own synonyms win over the common ones
        if _plain(category) in names:
            words.setdefault(_plain(word), names[_plain(category)])
    for category, synonyms in COMMON_SYNONYMS.items():
        if category in names:
            for word in synonyms:
                words.setdefault(word, names[category])
    for plain_name, category in names.items():
        words[plain_name] = category  # a category is always itself, whatever a synonym says
    return words


def match_category(word: str, categories: Iterable[str], own: Iterable[tuple[str, str]] = ()) -> tuple[str, bool]:
    """The org's category for what the user typed; (category, matched). Unmatched: `other`."""
    listed = tuple(categories)
    words = vocabulary(listed, own)
    wanted = _plain(word)
    for candidate in (wanted, wanted.removesuffix("s"), wanted.removesuffix("es")):
        if candidate in words:
            return words[candidate], True
    close = difflib.get_close_matches(wanted, list(words), n=1, cutoff=FUZZY_CUTOFF)
    if close:
        return words[close[0]], True
    fallback = next((c for c in listed if _plain(c) == FALLBACK_CATEGORY), FALLBACK_CATEGORY)
    return fallback, False
