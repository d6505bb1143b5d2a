"""Which MEL commune an imported record belongs to, from the communes' outlines.

The point decides: a venue's commune is the one whose outline holds it
(``members.geography``). A point outside the Métropole refuses the row, unless
its latitude and longitude are merely swapped (corrected, and said). A
declared INSEE code, commune name or postcode that contradicts the point is
reported. Lomme and Hellemmes, associated communes, are Lille. Without a
point, the declared code, then the name, decide.

Our own exports are the exception: their commune was chosen on this site,
next to its position, so it is kept as it is (an export imported again gives
the very same venues).
"""

import unicodedata

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from members import geography
from members.import_records import OWN_SOURCE, RowError


def name_key(name):
    """A commune's name as people write it: any case, with or without accents or hyphens."""
    name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return " ".join(name.lower().replace("-", " ").replace("'", " ").split())


def commune_names(communes):
    """``{name_key: Commune}``, associated communes included (Lomme, Hellemmes -> Lille)."""
    by_name = {name_key(commune.name): commune for commune in communes.values()}
    for name, code in geography.ASSOCIATED_NAMES.items():
        if code in communes:
            by_name[name_key(name)] = communes[code]
    return by_name


def _located(record, communes, warnings, locate):
    """The commune holding the record's point; a swapped pair is put right; outside: RowError."""
    lat, lng = record["latitude"], record["longitude"]
    code = locate(lat, lng)
    if code is None and geography.commune_at(lng, lat) is not None:
        code = geography.commune_at(lng, lat)
        record["latitude"], record["longitude"] = lng, lat
        warnings.append(
            _("latitude et longitude inversées (%(lat)s, %(lng)s) : corrigées") % {"lat": lat, "lng": lng}
        )
    if code is None:
        raise RowError(outside_metropole(lat, lng))
    return communes.get(code)


def outside_metropole(lat, lng):
    """Why a point on no MEL commune's outline has no commune, with the nearest one."""
    nearest, distance = geography.nearest_commune(lat, lng)
    return _(
        "commune introuvable : la position (%(lat)s, %(lng)s) est hors de la Métropole "
        "européenne de Lille, à %(distance)s km de %(commune)s"
    ) % {
        "lat": lat,
        "lng": lng,
        "distance": number_format(round(distance, 1), 1),
        "commune": geography.outlines()[nearest].name,
    }


def locator(records):
    """``commune_at`` for the points of ``records``, looked up in the outlines all at once."""
    points = [(r["latitude"], r["longitude"]) for r in records if r is not None and "latitude" in r]
    found = geography.communes_at(points)

    def locate(latitude, longitude):
        key = (latitude, longitude)
        return found[key] if key in found else geography.commune_at(latitude, longitude)

    return locate


def resolve_commune(record, communes, by_name, warnings, locate=geography.commune_at):
    """The ``Commune`` of ``record`` (its ``insee_code``, ``commune_name`` and ``postcode``
    are consumed); contradictions go to ``warnings``; raises RowError when there is none.
    ``locate`` is ``commune_at``, or a ``locator`` of many records."""
    raw_code = record.pop("insee_code", "").strip()
    code = geography.canonical_code(raw_code)
    name = record.pop("commune_name", "").strip()
    postcode = record.pop("postcode", "").strip()
    postcode = "" if postcode == "0" else postcode
    declared = None
    if code:
        declared = communes.get(code)
        if declared is None:
            raise RowError(_("commune hors de la métropole (code INSEE %(code)s)") % {"code": raw_code})
    elif name:
        declared = by_name.get(name_key(name))
    if "latitude" not in record or (record.get("source") == OWN_SOURCE and declared is not None):
        commune = declared
    else:
        commune = _located(record, communes, warnings, locate)
        lat, lng = record["latitude"], record["longitude"]
        if declared is None and not code:
            warnings.append(_("commune déduite de la position : %(commune)s") % {"commune": commune.name})
        elif declared != commune and not geography.is_near(declared.insee_code, lat, lng):
            warnings.append(
                _("la position est à %(found)s, pas à %(declared)s comme déclaré (%(given)s) : à vérifier")
                % {"found": commune.name, "declared": declared.name, "given": raw_code or name}
            )
    if commune is None:
        raise RowError(_("commune introuvable (ni code INSEE, ni nom, ni position dans la métropole)"))
    if postcode and postcode not in commune.postcode_list:
        warnings.append(
            _("code postal %(postcode)s incohérent avec %(commune)s (%(code)s)")
            % {"postcode": postcode, "commune": commune.name, "code": commune.insee_code}
        )
    return commune
