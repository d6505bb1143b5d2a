"""The site's one French date format: "1 déc. 2026", "1 déc. 2026, 19h00".

Django's own French formats mix "1 décembre 2026" and "01/12/2026", and the
"M" letter gives "Déc": every date shown goes through these names instead
(templates that need the weekday write "l j N Y", the same abbreviations).
"""

DATE_FORMAT = "j N Y"
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = r"j N Y, H\hi"
SHORT_DATETIME_FORMAT = r"j N Y, H\hi"
MONTH_DAY_FORMAT = "j N"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = r"H\hi"
