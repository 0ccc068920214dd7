"""Certificates of completion as PDF, drawn with fpdf2 from the domain's structure (no I/O, no template files).

The core Helvetica font is used: its Latin-1 covers the French labels, and the figures are ids, dates and hours,
so no font file has to ship with the service.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF

from funding_service.domain.certificate import CertificateOfCompletion


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(70, 8, label)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")


def render(certificates: Sequence[CertificateOfCompletion], claim_reference: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title("Certificat de réalisation")
    pdf.set_creator("HOPE funding")
    for certificate in certificates:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 12, "Certificat de réalisation", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(0, 6, f"Demande de paiement {claim_reference}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        action = certificate.action
        _row(pdf, "Bénéficiaire (pseudonyme)", str(certificate.beneficiary_id))
        _row(pdf, "Action de formation", action.title)
        _row(pdf, "Identifiant de l'action", str(action.course_id))
        _row(pdf, "Étape du parcours", str(action.step))
        _row(pdf, "Organisme de formation", action.provider_name)
        _row(pdf, "Du", certificate.first_day.isoformat())
        _row(pdf, "Au", certificate.last_day.isoformat())
        _row(pdf, "Heures prévues", f"{certificate.hours_planned:.2f}")
        _row(pdf, "Heures réalisées (présence)", f"{certificate.hours_present:.2f}")
        _row(pdf, "Absences justifiées (heures)", f"{certificate.hours_excused:.2f}")
        _row(pdf, "Absences non justifiées (heures)", f"{certificate.hours_unexcused:.2f}")
        pdf.ln(6)
        pdf.set_font("Helvetica", "I", 8)
        pdf.multi_cell(
            0,
            5,
            "Heures attestées par l'organisme de formation sur les feuilles d'émargement, selon leur dernière version.",
        )
    return bytes(pdf.output())
