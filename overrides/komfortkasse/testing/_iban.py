"""IBANs with correct check digits (ISO 13616, mod 97), for the fake's bank accounts."""

from __future__ import annotations

#: Basic bank account number layout per country: (bank code length, account length).
BBAN_LAYOUT: dict[str, tuple[int, int]] = {"DE": (8, 10), "AT": (5, 11), "CH": (5, 12)}


def _as_digits(text: str) -> str:
    """Letters become two digits (A=10 … Z=35), as the IBAN check requires."""
    return "".join(str(int(char, 36)) for char in text)


def make_iban(country: str, bank_code: str, account: str) -> str:
    """Build an IBAN from its parts, computing the two check digits."""
    bban = bank_code + account
    remainder = int(_as_digits(bban + country + "00")) % 97
    return f"{country}{98 - remainder:02d}{bban}"


def is_valid_iban(iban: str) -> bool:
    """True when ``iban`` (spaces allowed) is well formed and its check digits match."""
    compact = normalize_iban(iban)
    if len(compact) < 15 or len(compact) > 34 or not (compact.isascii() and compact.isalnum()):
        return False
    if not (compact[:2].isalpha() and compact[2:4].isdigit()):
        return False
    return int(_as_digits(compact[4:] + compact[:4])) % 97 == 1


def normalize_iban(iban: str) -> str:
    """Upper case, without spaces: the form IBANs are compared in."""
    return iban.replace(" ", "").upper()


def shop_iban(country: str, serial: int) -> str:
    """A valid IBAN for the fake shop number ``serial`` in ``country`` (DE layout otherwise)."""
    layout_country = country if country in BBAN_LAYOUT else "DE"
    bank_length, account_length = BBAN_LAYOUT[layout_country]
    bank_code = "1" + "0" * (bank_length - 2) + "9"
    account = str(serial).rjust(account_length, "0")
    return make_iban(layout_country, bank_code, account)
