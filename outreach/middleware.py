"""Chinese first: the interface is Simplified Chinese unless the user picked English.

Django's LocaleMiddleware would follow the browser's Accept-Language header; a
clerk's English-language browser must still get the Chinese interface, so the
header is ignored and only the language cookie (set by the switcher) counts.
"""


class ChineseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
