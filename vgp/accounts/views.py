from django.http import HttpResponse


def second_factor_setup(request):
    return HttpResponse("")
