"""Reading scans and photos of reports with Tesseract (pytesseract) and OpenCV.

engine: the Tesseract runs; preprocess, grid: the page made straight and clean, its tables
rebuilt from their rules; page: one page read into tables and lines; second_reading, shapes:
each figure read again and accepted only when both readings agree in a valid shape; scan: the
pages through the shared table logic into one ParsedReport; pictures, pdf_pages: page pictures
out of picture files and scanned PDFs.
"""
