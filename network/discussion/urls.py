from django.urls import path

from network.discussion import views

app_name = "discussion"

urlpatterns = [
    path("", views.room_list, name="room_list"),
]
