import re
from tests.alkupalvelu.test_authorship_staff import delegate_sent, page, block, fill, person, PERTTI
from tests.intake.test_journey import staff
from portal.db import db

def test_peek(app, demo):
    s = delegate_sent(app)
    html = page(staff(app, "sanna.ohjaaja"), f"/henkilosto/asiat/{s.case_id}")
    b = block(html, s)
    print(re.sub(r"\n\s*\n", "\n", b[:3000]))
    t = html.split('id="taytto-otsikko"')[1].split("</section>")[0]
    print(re.sub(r"\n\s*\n", "\n", t))
