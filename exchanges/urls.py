from django.urls import path

from exchanges import views

app_name = "exchanges"
urlpatterns = [
    path("", views.post_list, name="list"),
    path("annonces.geojson", views.post_geojson, name="geojson"),
    path("publier/", views.post_create, name="create"),
    path("mes-annonces/", views.my_posts, name="mine"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/modifier/", views.post_edit, name="edit"),
    path("<int:pk>/prolonger/", views.post_renew, name="renew"),
    path("<int:pk>/cloturer/", views.post_close, name="close"),
    path("<int:pk>/contacter/", views.post_contact, name="contact"),
    path("<int:pk>/signaler/", views.post_report, name="report"),
]
