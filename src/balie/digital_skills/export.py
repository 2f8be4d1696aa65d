"""The HR figures as an Excel workbook (openpyxl): participation, the heat map, progress. Only
aggregates; a group under the threshold is written as "< k", never as a number."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .queries import heat_map, participation, progress


def figures_workbook() -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)

    sheet = workbook.active
    sheet.title = _("Deelname")
    rows = participation()
    threshold = heat_map().threshold
    hidden = f"< {threshold}"
    sheet.append([_("Dienst"), _("In klantencontact"), _("Digicheck afgerond")])
    for row in rows:
        sheet.append(
            [
                row.department.name if row.department else _("Totaal"),
                row.in_contact,
                row.took_check if row.took_check is not None else hidden,
            ]
        )

    grid = heat_map()
    sheet = workbook.create_sheet(_("Heatmap"))
    sheet.append([_("Dienst"), _("Deelnemers"), *[c.code for c in grid.competences]])
    for department in grid.departments:
        participants = grid.participants.get(department.pk)
        values: list[object] = [department.name, participants if participants is not None else hidden]
        for competence in grid.competences:
            value = grid.cells.get((department.pk, competence.pk))
            values.append(value if value is not None else ("" if participants is None else hidden))
        sheet.append(values)
    sheet.append([])
    for competence in grid.competences:
        sheet.append([competence.code, competence.name])

    areas, months = progress()
    sheet = workbook.create_sheet(_("Evolutie"))
    sheet.append([_("Maand"), _("Deelnemers"), *[area.name for area in areas]])
    for month in months:
        sheet.append(
            [
                month.month.strftime("%Y-%m"),
                month.participants if month.participants is not None else hidden,
                *[
                    month.averages.get(area.pk) if month.participants is not None else hidden
                    for area in areas
                ],
            ]
        )
    for ws in workbook.worksheets:
        for cell in ws[1]:
            cell.font = bold
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
