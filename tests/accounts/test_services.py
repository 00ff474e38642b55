import pytest
from werkzeug.security import generate_password_hash
from wtforms.validators import Length

from eventhub import config
from eventhub.accounts import services
from eventhub.accounts.forms import PasswordChangeForm
from eventhub.accounts.models import Role
from eventhub.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from eventhub.extensions import db
from tests.support.factories import PASSWORD


def test_passwords_are_stored_as_hashes_never_in_clear(factory):
    user = factory.user("an@example.vn")
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize("environment", ["production", "development"])
def test_outside_the_test_suite_passwords_are_hashed_with_scrypt(app, factory, monkeypatch, tmp_path, environment):
    method = config.from_environment(str(tmp_path), {"EVENTHUB_ENV": environment})["PASSWORD_HASH_METHOD"]
    assert method == "scrypt"
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", method)
    user = factory.user("manh@example.vn")
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    assert services.authenticate("manh@example.vn", PASSWORD).id == user.id
    with pytest.raises(DomainError):
        services.authenticate("manh@example.vn", "sai-mat-khau")


def test_the_test_suite_hashes_cheaply_yet_still_verifies_existing_scrypt_hashes(app, factory):
    assert app.config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1"
    user = factory.user("cu@example.vn")
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    user.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    assert services.authenticate("cu@example.vn", PASSWORD).id == user.id
    with pytest.raises(DomainError):
        services.authenticate("cu@example.vn", "sai-mat-khau")


def test_authenticate_accepts_the_right_password_case_insensitively_by_email(factory):
    factory.user("Hoa@Example.vn")
    user = services.authenticate("  HOA@example.VN ", PASSWORD)
    assert user.email == "hoa@example.vn" and user.last_login_at is not None


@pytest.mark.parametrize("email, password", [("hoa@example.vn", "sai-mat-khau"), ("ai@example.vn", PASSWORD)])
def test_authenticate_gives_one_answer_for_wrong_email_or_password(factory, email, password):
    factory.user("hoa@example.vn")
    with pytest.raises(DomainError) as error:
        services.authenticate(email, password)
    assert error.value.code == "invalid_credentials"


def test_disabled_account_cannot_sign_in(factory):
    user = factory.user("khoa@example.vn")
    user.is_active = False
    db.session.commit()
    with pytest.raises(DomainError) as error:
        services.authenticate("khoa@example.vn", PASSWORD)
    assert error.value.code == "account_disabled"


@pytest.mark.parametrize("password, problem", [
    ("ngan", "ít nhất 10 ký tự"),
    ("0123456789012", "chỉ gồm chữ số"),
    ("binh.tran-2025!", "tên đăng nhập"),
])
def test_weak_passwords_are_refused_with_the_reason(password, problem):
    problems = [str(p) for p in services.password_problems(password, "binh.tran@example.vn")]
    assert any(problem in p for p in problems)


def test_change_password_needs_the_current_one_and_ends_other_sessions(factory):
    user = factory.user("lan@example.vn")
    old_session = user.get_id()
    with pytest.raises(ValidationFailed) as error:
        services.change_password(user.id, "khong-dung-roi", "mat-khau-moi-2026")
    assert "current_password" in error.value.fields
    services.change_password(user.id, PASSWORD, "mat-khau-moi-2026")
    assert services.load_session_user(old_session) is None
    assert services.load_session_user(user.get_id()) == user
    assert services.authenticate("lan@example.vn", "mat-khau-moi-2026") == user


def test_organisation_names_are_unique_ignoring_case(factory):
    factory.organisation("Tỉnh Đoàn Đắk Lắk")
    with pytest.raises(ValidationFailed) as error:
        factory.organisation("tỉnh đoàn đắk lắk")
    assert "name" in error.value.fields


def test_an_organisation_cannot_be_its_own_ancestor(factory):
    province = factory.organisation("Sở KH&CN tỉnh")
    commune = factory.organisation("UBND xã Ea Kar", parent_id=province.id)
    with pytest.raises(ValidationFailed):
        services.save_organisation(province.id, services.OrganisationDetails(
            name=province.name, kind=province.kind, province=province.province, parent_id=commune.id))


def test_add_member_creates_an_account_that_must_change_its_password(factory):
    organisation = factory.organisation()
    membership = services.add_member(organisation.id, services.NewMember(
        email="Moi@Example.vn", full_name="H'Hen Niê", role=Role.CHECKIN_STAFF, initial_password="tam-thoi-12345"))
    assert membership.user.email == "moi@example.vn"
    assert membership.user.must_change_password is True


def test_add_member_reuses_an_existing_account_and_refuses_duplicates(factory):
    first, second = factory.organisation(), factory.organisation()
    person = factory.user("chung@example.vn", organisation=first)
    membership = services.add_member(second.id, services.NewMember("chung@example.vn", "x", Role.ORGANISER))
    assert membership.user_id == person.id
    with pytest.raises(ValidationFailed):
        services.add_member(second.id, services.NewMember("chung@example.vn", "x", Role.ADMIN))


def test_new_account_needs_an_initial_password(factory):
    organisation = factory.organisation()
    with pytest.raises(ValidationFailed) as error:
        services.add_member(organisation.id, services.NewMember("x@example.vn", "X", Role.ADMIN, initial_password=""))
    assert "initial_password" in error.value.fields


def test_the_last_admin_can_be_neither_demoted_nor_removed(factory):
    organisation = factory.organisation()
    admin = factory.user(organisation=organisation, role=Role.ADMIN)
    membership = admin.memberships[0]
    with pytest.raises(DomainError) as error:
        services.change_member_role(organisation.id, membership.id, Role.ORGANISER)
    assert error.value.code == "last_admin"
    with pytest.raises(DomainError):
        services.remove_member(organisation.id, membership.id)
    second = factory.user(organisation=organisation, role=Role.ADMIN)
    services.remove_member(organisation.id, membership.id)
    assert services.roles_in(second, organisation.id) == {Role.ADMIN}


def test_membership_of_another_organisation_is_not_found(factory):
    first, second = factory.organisation(), factory.organisation()
    member = factory.user(organisation=first, role=Role.ADMIN)
    with pytest.raises(NotFound):
        services.remove_member(second.id, member.memberships[0].id)


def test_require_role_hides_other_organisations_and_refuses_lesser_roles(factory):
    mine, theirs = factory.organisation(), factory.organisation()
    staff = factory.user(organisation=mine, role=Role.CHECKIN_STAFF)
    with pytest.raises(NotFound):
        services.require_role(staff, theirs.id, services.EVENT_MANAGER_ROLES)
    with pytest.raises(PermissionDenied):
        services.require_role(staff, mine.id, services.EVENT_MANAGER_ROLES)
    services.require_role(factory.user(platform_admin=True), theirs.id, services.EVENT_MANAGER_ROLES)


def test_api_tokens_are_stored_hashed_and_revocable(factory):
    user = factory.user()
    token, record = services.issue_api_token(user.id, "Máy quét cổng 1")
    assert token not in record.token_digest and record.prefix == token[:12]
    assert services.user_for_api_token(token) == user
    assert services.user_for_api_token(token + "x") is None
    services.revoke_api_token(user.id, record.id)
    assert services.user_for_api_token(token) is None


def test_someone_elses_token_cannot_be_revoked(factory):
    owner, other = factory.user(), factory.user()
    _token, record = services.issue_api_token(owner.id, "x")
    with pytest.raises(NotFound):
        services.revoke_api_token(other.id, record.id)


def test_a_password_longer_than_the_form_allows_is_refused_by_the_service_too(app, factory):
    user = factory.user("dai@example.vn")
    with pytest.raises(ValidationFailed) as error:
        services.change_password(user.id, PASSWORD, "Mat-khau-" + "x" * services.PASSWORD_MAX_LENGTH)
    assert "new_password" in error.value.fields
    with app.test_request_context():
        field = PasswordChangeForm(formdata=None, meta={"csrf": False}).new_password
    assert [v.max for v in field.validators if isinstance(v, Length)] == [services.PASSWORD_MAX_LENGTH]
