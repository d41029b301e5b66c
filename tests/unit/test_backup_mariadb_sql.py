"""The row-count SQL the MariaDB backup runner and the restore drill share."""

from bilgiislem.backup import mariadb_sql


def test_names_and_strings_are_quoted():
    assert mariadb_sql.name("İmar_dosyası") == "`İmar_dosyası`"
    assert mariadb_sql.name("a`b") == "`a``b`"
    assert mariadb_sql.string("it's") == "'it\\'s'"
    assert mariadb_sql.string("a\\b") == "'a\\\\b'"


def test_count_sql_is_one_json_object_per_database():
    assert mariadb_sql.count_sql(["basvuru", "İmar_dosyası"]) == (
        "SELECT JSON_OBJECT('basvuru', (SELECT COUNT(*) FROM `basvuru`), "
        "'İmar_dosyası', (SELECT COUNT(*) FROM `İmar_dosyası`))")
    assert mariadb_sql.count_sql([]) == "SELECT JSON_OBJECT()"
