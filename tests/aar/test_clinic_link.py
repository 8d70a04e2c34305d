from tests.clinics.helpers import add_clinic


def test_past_clinic_page_links_the_published_aar_that_reviews_it(app, client, make_aar):
    clinic_id = add_clinic(
        app, title="คลินิกสัญจร ขอนแก่น (ผ่านมาแล้ว)", starts="2025-03-04T09:00", ends="2025-03-04T16:00", province="ขอนแก่น"
    )
    draft_id = make_aar(title="AAR คลินิกขอนแก่น", link_type="clinic", link_id=clinic_id, publish=False)
    assert f'href="/aar/{draft_id}"' not in client.get(f"/clinics/{clinic_id}").text  # drafts stay private
    aar_id = make_aar(title="AAR คลินิกขอนแก่น ฉบับเผยแพร่", link_type="clinic", link_id=clinic_id)
    page = client.get(f"/clinics/{clinic_id}").text
    assert f'href="/aar/{aar_id}"' in page and "AAR คลินิกขอนแก่น ฉบับเผยแพร่" in page
