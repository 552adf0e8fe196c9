"""Arabic formats: Django's, with the separators of the one formatting layer.

Django's own Arabic formats write decimals with "," and thousands with "." ("60,00%");
the interface writes Western digits with "." and "," in both languages
(lms.kernel.formatting), so what Django localises itself (floatformat, numbers in
forms) agrees with it.
"""

from django.conf.locale.ar.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
