"""Registration: categories and quotas, custom questions, consent, the waiting list and tickets."""
