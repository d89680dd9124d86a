from django.contrib import admin

admin.site.site_header = "Improvement Tracker administration"
admin.site.site_title = "Improvement Tracker admin"
admin.site.index_title = "Plan, posts, users and history"
