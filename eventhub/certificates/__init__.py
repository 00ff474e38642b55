"""Certificates (giấy chứng nhận): templates, numbered issuance, PDFs with a verification QR, revocation."""
