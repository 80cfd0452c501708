"""The weekly digest for department staff: figures, chart, workbook, the Sở's report draft, the mail."""
