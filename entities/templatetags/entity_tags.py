"""Template filters of the entity pages: numbers with their units."""

from django import template

from entities.charts import format_amount
from entities.normalise import is_currency_code

register = template.Library()


@register.filter
def amount(metric) -> str:
    """A metric's value with its unit, readable: "RUB 93.3 million", "14%", "16 employees"."""
    return format_amount(metric.value, metric.unit)


@register.filter
def currency(unit: str) -> bool:
    """Whether a unit is a currency code (so the value is money)."""
    return is_currency_code(unit)
