package dev.apppasswords.service;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.GroupProvider;
import org.keycloak.models.GroupProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

/**
 * Who may have app passwords: everyone by default; else members of the named groups (subgroups count, a group that
 * does not exist admits nobody), holders of a realm role or a {@code client.role}, and, when required, only users
 * with OTP or a security key.
 */
class EligibilityTest {

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final UserModel user = mock(UserModel.class);
    private final SubjectCredentialManager credentials = mock(SubjectCredentialManager.class);
    private final GroupProvider groups = mock(GroupProvider.class);
    private final GroupModel staff = mock(GroupModel.class);
    private final GroupModel staffMail = mock(GroupModel.class);
    private final GroupModel guests = mock(GroupModel.class);

    @BeforeEach
    void setUp() {
        KeycloakSessionFactory factory = mock(KeycloakSessionFactory.class);
        when(session.getKeycloakSessionFactory()).thenReturn(factory);
        when(factory.getProviderFactory(GroupProvider.class)).thenReturn(mock(GroupProviderFactory.class));
        when(session.groups()).thenReturn(groups);
        when(groups.getGroupByName(realm, null, "staff")).thenReturn(staff);
        when(groups.getGroupByName(realm, staff, "mail")).thenReturn(staffMail);
        when(groups.getGroupByName(realm, null, "guests")).thenReturn(guests);
        when(staffMail.getParent()).thenReturn(staff);
        when(staffMail.getParentId()).thenReturn("staff-id");
        when(user.credentialManager()).thenReturn(credentials);
        when(user.getGroupsStream()).thenAnswer(invocation -> Stream.empty());
    }

    private void memberOf(GroupModel... direct) {
        when(user.getGroupsStream()).thenAnswer(invocation -> Stream.of(direct));
    }

    private void holding(String... types) {
        when(credentials.getStoredCredentialsStream()).thenAnswer(invocation -> Stream.of(types).map(type -> {
            CredentialModel credential = new CredentialModel();
            credential.setType(type);
            return credential;
        }));
    }

    private String refusal(Eligibility who) {
        return who.refusal(session, realm, user);
    }

    @Test
    void givenNoRulesThenEveryoneMayHaveAppPasswords() {
        assertNull(refusal(new Eligibility(List.of(), null, false)));
    }

    @Test
    void givenAGroupThenItsMembersMayAndOthersMayNot() {
        Eligibility staffOnly = new Eligibility(List.of("/staff"), null, false);

        memberOf(staff);
        assertNull(refusal(staffOnly));

        memberOf(guests);
        String refusal = refusal(staffOnly);
        assertNotNull(refusal);
        assertTrue(refusal.contains("/staff"), refusal);
    }

    @Test
    void givenAGroupThenMembersOfItsSubgroupsMayToo() {
        memberOf(staffMail);

        assertNull(refusal(new Eligibility(List.of("/staff"), null, false)));
    }

    @Test
    void givenASubgroupThenMembersOfItsParentAloneMayNot() {
        memberOf(staff);

        assertNotNull(refusal(new Eligibility(List.of("/staff/mail"), null, false)));
    }

    @Test
    void givenAGroupPathWithoutTheLeadingSlashThenItNamesTheSameGroup() {
        memberOf(staff);

        assertNull(refusal(new Eligibility(List.of("staff"), null, false)));
    }

    @Test
    void givenSeveralGroupsThenMembershipOfAnyOneIsEnough() {
        memberOf(guests);

        assertNull(refusal(new Eligibility(List.of("/staff", "/guests"), null, false)));
    }

    @Test
    void givenOnlyGroupsThatDoNotExistThenNobodyMay() {
        memberOf(staff, guests);

        assertNotNull(refusal(new Eligibility(List.of("/no-such-group"), null, false)));
    }

    @Test
    void givenARealmRoleThenOnlyItsHoldersMay() {
        RoleModel role = mock(RoleModel.class);
        when(realm.getRole("app-passwords")).thenReturn(role);
        Eligibility holders = new Eligibility(List.of(), "app-passwords", false);

        when(user.hasRole(role)).thenReturn(true);
        assertNull(refusal(holders));

        when(user.hasRole(role)).thenReturn(false);
        String refusal = refusal(holders);
        assertNotNull(refusal);
        assertTrue(refusal.contains("app-passwords"), refusal);
    }

    @Test
    void givenAClientRoleAsClientDotRoleThenTheClientsRoleDecides() {
        ClientModel mail = mock(ClientModel.class);
        RoleModel reader = mock(RoleModel.class);
        when(realm.getClientByClientId("mail")).thenReturn(mail);
        when(mail.getRole("reader")).thenReturn(reader);
        when(user.hasRole(reader)).thenReturn(true);

        assertNull(refusal(new Eligibility(List.of(), "mail.reader", false)));
    }

    @Test
    void givenARoleThatDoesNotExistThenNobodyMay() {
        assertNotNull(refusal(new Eligibility(List.of(), "no-such-role", false)));
    }

    @Test
    void givenTheRightGroupButNotTheRoleThenTheUserMayNot() {
        memberOf(staff);
        RoleModel role = mock(RoleModel.class);
        when(realm.getRole("app-passwords")).thenReturn(role);

        assertNotNull(refusal(new Eligibility(List.of("/staff"), "app-passwords", false)));
    }

    @Test
    void givenASecondFactorRequiredThenUsersWithOtpOrASecurityKeyMay() {
        Eligibility secondFactor = new Eligibility(List.of(), null, true);

        holding(PasswordCredentialModel.TYPE, OTPCredentialModel.TYPE);
        assertNull(refusal(secondFactor));
        holding(WebAuthnCredentialModel.TYPE_TWOFACTOR);
        assertNull(refusal(secondFactor));
        holding(WebAuthnCredentialModel.TYPE_PASSWORDLESS);
        assertNull(refusal(secondFactor));
    }

    @Test
    void givenASecondFactorRequiredThenUsersWithOnlyAPasswordOrAppPasswordsMayNot() {
        holding(PasswordCredentialModel.TYPE, "app-password");

        String refusal = refusal(new Eligibility(List.of(), null, true));

        assertNotNull(refusal);
        assertTrue(refusal.contains("second factor"), refusal);
    }
}
