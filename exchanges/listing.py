"""The list's filters: query string in, posts out (used by the list and its map)."""

from dataclasses import dataclass

from django.http import QueryDict

from exchanges.forms import PostFilterForm
from exchanges.models import Post

PER_PAGE = 20
FILTER_PARAMS = ("kind", "category", "commune", "q")


@dataclass
class PostQuery:
    form: PostFilterForm
    posts: object  # PostQuerySet
    errors: list
    query_string: str


def filter_posts(params):
    """Listed posts matching the valid filters of ``params``, newest first; invalid
    values are dropped and explained in ``errors``."""
    form = PostFilterForm(params)
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    posts = Post.objects.listed()
    if data.get("kind"):
        posts = posts.filter(kind=data["kind"])
    if data.get("category"):
        posts = posts.filter(category=data["category"])
    if data.get("commune"):
        posts = posts.filter(commune=data["commune"])
    if data.get("q"):
        posts = posts.matching(data["q"])
    errors = [f"{form.fields[name].label} : {' '.join(messages)}" for name, messages in form.errors.items()]
    kept = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        value = data.get(name)
        if value:
            kept[name] = value.insee_code if name == "commune" else value
    return PostQuery(
        form=form, posts=posts.order_by("-created", "-pk"), errors=errors, query_string=kept.urlencode()
    )


def posts_geojson(posts, url_of):
    """A GeoJSON FeatureCollection of ``posts`` placed at their venue or commune."""
    features = []
    for post in posts:
        position = post.position
        if position is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [position[1], position[0]]},
                "properties": {
                    "name": post.title,
                    "url": url_of(post),
                    "commune": f"{post.get_kind_display()} · {post.commune.name}",
                    "kind": post.kind,
                    "category": post.category,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
