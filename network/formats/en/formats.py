"""The English counterpart of network/formats/fr: "1 Dec. 2026", "1 Dec. 2026, 19:00"."""

DATE_FORMAT = "j N Y"
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"
SHORT_DATETIME_FORMAT = "j N Y, H:i"
MONTH_DAY_FORMAT = "j N"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
