def test_home_page_is_arabic_and_rtl(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
