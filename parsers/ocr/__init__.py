"""Reading scans and photos of reports with Tesseract (pytesseract) and OpenCV.

available: whether Tesseract and its Vietnamese model are installed (cheap, no heavy import);
engine: the Tesseract runs (OMP_THREAD_LIMIT=1, a time limit each); preprocess, grid: the page
made straight and clean, its tables rebuilt from their rules; page: one page read into tables
and lines; headings: column headings OCR squeezed, mended; ink, second_reading, shapes: each
figure read again and taken only when both readings agree in a valid shape and account for all
the ink in its cell; scan: the pages through the shared table logic into one ParsedReport;
pictures, pdf_pages: page pictures out of picture files and scanned PDFs.
"""
