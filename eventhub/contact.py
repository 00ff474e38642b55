"""Normal forms of e-mail addresses and Vietnamese phone numbers, for matching and for storing."""
import re

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# The one shape an account's address must have, for signing in and for creating the account alike (create-admin,
# members): only the shape, so addresses on special-use domains (admin@eventhub.local) work for both.
ACCOUNT_ADDRESS = r"^[^@\s]+@[^@\s]+$"
ACCOUNT_ADDRESS_MAX = 254


def is_account_address(email: str) -> bool:
    email = email.strip()
    return len(email) <= ACCOUNT_ADDRESS_MAX and re.fullmatch(ACCOUNT_ADDRESS, email) is not None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_phone(phone: str) -> str | None:
    """0xxxxxxxxx for a valid Vietnamese number (10 digits from 0, or +84/84 and 9 digits); else None."""
    digits = _PHONE_SEPARATORS.sub("", phone.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if re.fullmatch(r"0[1-9][0-9]{8}", digits):
        return digits
    return None
