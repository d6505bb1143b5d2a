"""Who may act on the staff's screens of the members app: Wagtail permission
policies over Django model permissions (granted to the "Équipe du réseau" group by
``members.services.ensure_staff_group`` and migration 0017).

- ``claim_policy``: "view" the venue claims; "change" decide them (approve or
  refuse), which is also deciding who manages a venue (``attach_manager``).
- ``import_policy``: "view" the venue imports and their reports; "add" upload a
  file and start its import.
"""

from wagtail.permission_policies import ModelPermissionPolicy

claim_policy = ModelPermissionPolicy("members.VenueClaim")
import_policy = ModelPermissionPolicy("members.VenueImport")
