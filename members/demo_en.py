"""English summaries of the demo venues (``seed_demo``): the twelve invented
venues and a dozen of the census ones; the others keep their French summary,
which English visitors read marked ``lang="fr"`` (docs/i18n.md)."""

SUMMARIES_EN = {
    "la-fabrique-des-possibles": "A community fab lab in a former spinning mill: machines, evening "
    "workshops and drop-in sessions for neighbourhood projects.",
    "le-comptoir-partage": "A neighbourhood coworking space above a community café.",
    "atelier-des-mains-vertes": "Shared woodworking, a bike workshop and a garden: repair, build, learn.",
    "le-grenier-numerique": "A public digital space: free computers and help with online procedures.",
    "maison-commune-des-initiatives": "Support for project founders and shared offices for young "
    "organisations.",
    "le-quai-des-curieux": "A cultural café by the canal: concerts, exhibitions and game nights.",
    "labo-citoyen-des-weppes": "A rural living lab where residents and councillors try out services "
    "together.",
    "la-ruche-de-seclin": "Shared offices near the station, so you no longer drive to work every day.",
    "letabli-solidaire": "Sewing, small electronics and a repair café every other Saturday.",
    "les-ateliers-du-canal": "A fab lab for entrepreneurs: prototyping, cutting and machining.",
    "le-bureau-da-cote": "A small coworking space in the village centre, open to remote workers.",
    "la-serre-numerique": "Digital inclusion, an introduction to making, and discussion cafés.",
    "co-factory": "A large open-plan shared office, meeting rooms and a café where freelancers and "
    "start-ups meet.",
    "coworking-plaine-images": "Shared offices at the heart of an image industry hub: a film studio, "
    "equipped rooms and user testing with the public.",
    "wereso": "A city-centre coworking space designed for freelancers, with weekly mutual-aid breakfasts.",
    "le-welcome-bar": "A café by day, an open stage by night: quiet work in the morning, concerts at "
    "the weekend.",
    "wetail": "A shared workspace for the retail of tomorrow, where shops test their ideas with their "
    "customers.",
    "espace-flandre": "Advice sessions for people starting a business, and a few low-cost offices for "
    "their first months.",
    "new-workers": "Shared offices by the Deûle for remote workers in the north of the metropolis, run "
    "by their users.",
    "euratechnologies": "Incubation, workspaces and a prototyping workshop in a converted spinning mill "
    "by the Deûle.",
    "la-cofabrik": "A neighbourhood shared workshop: workbenches, sewing machines and tools open to all, "
    "with volunteers to guide beginners.",
    "la-ferblanterie": "A former factory turned into artists' and craftspeople's studios, open to the "
    "public for exhibitions and open days.",
    "le-188": "Free computers, introductory workshops and help with online procedures, free of charge, "
    "in the heart of the district.",
    "la-grappe": "A cooperative coworking space near the Wazemmes market, with a coffee corner open to "
    "the neighbours.",
}


# Still Python, not yet data files of <app>/demo/ (issue 17, item 7): none to validate.
FILES = {}


def seed_english_summaries(stdout=None):
    """Give the demo venues that have none their English summary (idempotent)."""
    from members.models import User, VenuePage
    from members.services import update_venue

    staff = User.objects.filter(email="equipe@example.org").first()
    if staff is None:
        return
    for venue in VenuePage.objects.filter(slug__in=SUMMARIES_EN, summary_en=""):
        update_venue(venue, {"summary_en": SUMMARIES_EN[venue.slug]}, by=staff)
        if stdout:
            stdout.write(f"  English summary of {venue.title}")
