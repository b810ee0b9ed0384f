from django import template

register = template.Library()


@register.filter
def cell_of(column, figures) -> str:
    """``{{ column|cell_of:figures }}``: the column's value for ``figures`` as shown."""
    return column.cell(figures)
