"""A notice's balance (portal.md A-20), shared by the back office, rent runs, payments and reminders.

Restbelopp = Brutto − Inbetalt; AttBetala = the remainder, never below zero; BetalningFördeladBelopp = the payments
settled against the notice, at most Brutto (our rule).
"""

from __future__ import annotations

from decimal import Decimal


def balance(brutto: Decimal, paid: Decimal) -> tuple[Decimal, Decimal]:
    """Restbelopp = Brutto − Inbetalt, and AttBetala: the remainder, never below zero."""
    rest = brutto - paid
    return rest, max(rest, Decimal(0))


def allocated(brutto: Decimal, paid: Decimal) -> Decimal:
    """BetalningFördeladBelopp (our rule, A-20): the part of the payments settled against the notice, at most its
    Bruttobelopp (an overpayment stays unallocated)."""
    return max(min(paid, brutto), Decimal(0))
