package dev.apppasswords.service;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import dev.apppasswords.usage.AppPasswordUsageEntity;
import dev.apppasswords.usage.UsageStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.jpa.entities.CredentialEntity;
import org.keycloak.models.jpa.entities.UserEntity;

/**
 * Creating, listing and deleting one user's app passwords. The REST resource, the account-console page
 * and the admin endpoints all call this class, so the limit, the name rules and the audit events are
 * enforced in one place.
 */
public final class AppPasswordService {

    /** Event detail on removals the owner did not choose: {@link #REASON_ADMIN}, {@link #REASON_PASSWORD_CHANGED}, {@link #REASON_EXPIRED}. */
    public static final String DETAIL_REASON = "reason";
    public static final String REASON_ADMIN = "revoked_by_admin";
    public static final String REASON_PASSWORD_CHANGED = "password_changed";
    public static final String REASON_EXPIRED = "expired";
    /** Deleted by its owner (REST API, page, account console). */
    public static final String REASON_DELETED = "deleted";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel user;
    private final AppPasswordPolicy policy;
    private final UsageStore usage;

    /** Made per request by the extension's provider ({@code AppPasswords.service}). */
    public AppPasswordService(KeycloakSession session, RealmModel realm, UserModel user, AppPasswordPolicy policy, UsageStore usage) {
        this.session = session;
        this.realm = realm;
        this.user = user;
        this.policy = policy;
        this.usage = usage;
    }

    public AppPasswordPolicy policy() {
        return policy;
    }

    /**
     * The user's app passwords, oldest first, with their last use. Reading changes nothing: app passwords that
     * expired more than the realm's grace period ago are left out here and removed by the hourly clean-up
     * (ExpiredCleanup); an expired one is refused at login either way.
     */
    public List<AppPasswordView> list() {
        long now = Time.currentTimeMillis();
        long graceCutoff = now - policy.expiredGraceDays() * 86_400_000L;
        Map<String, AppPasswordUsageEntity> used = usage.byUser(user.getId());
        return storedAppPasswords().stream()
                .sorted(Comparator.comparing(CredentialModel::getCreatedDate, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(c -> Map.entry(c, AppPasswordCredentialModel.fromStored(c)))
                .filter(e -> !e.getValue().isExpired(graceCutoff))
                .map(e -> {
                    CredentialModel c = e.getKey();
                    AppPasswordCredentialModel appPassword = e.getValue();
                    AppPasswordUsageEntity last = used.get(c.getId());
                    return new AppPasswordView(c.getId(), c.getUserLabel(), c.getCreatedDate(), appPassword.clients(),
                            last != null ? last.getLastUsedAt() : null,
                            last != null ? last.getLastUsedIp() : null,
                            last != null ? last.getLastUsedClientId() : null,
                            appPassword.expiresAt(), appPassword.isExpired(now));
                })
                .toList();
    }

    /**
     * Why this user cannot create app passwords at all (switched off in the realm, creation off, not eligible), or
     * null when they can; the limit is checked on creation. The one answer for the REST API, the page, the required
     * action and the offer after OTP.
     */
    public AppPasswordProblem whyNoCreation() {
        if (!policy.enabled() || !policy.creationAllowed()) {
            return new AppPasswordProblem(AppPasswordProblem.Kind.CREATION_DISABLED,
                    "Creating app passwords is turned off in this realm. Ask your administrator.");
        }
        String refusal = policy.who().refusal(session, realm, user);
        return refusal == null ? null : new AppPasswordProblem(AppPasswordProblem.Kind.NOT_ALLOWED, refusal);
    }

    public int count() {
        return storedAppPasswords().size();
    }

    /**
     * Creates an app password named after a device. Serialised per user by a row lock on the user, so
     * concurrent requests (two tabs, a script) cannot go past the limit, on one node or many.
     */
    public CreatedAppPassword create(String rawName, ClientModel client) {
        return create(rawName, List.of(), null, client);
    }

    /**
     * Like {@link #create(String, ClientModel)}, limited to the given clients (client ids of this realm;
     * empty for any client: a WebDAV password then cannot open the mail server) and expiring after
     * {@code expiresInDays} (null: the realm's maximum lifetime, if it has one).
     */
    public CreatedAppPassword create(String rawName, List<String> clients, Integer expiresInDays, ClientModel client) {
        String name = DeviceName.validate(rawName);
        List<String> limitedTo = ClientLimits.validate(realm, clients);
        AppPasswordProblem noCreation = whyNoCreation();
        if (noCreation != null) {
            throw noCreation;
        }
        long now = Time.currentTimeMillis();
        Long expiresAt = policy.expiresAt(expiresInDays, now);
        List<String> existingNames = lockUserAndReadNames();
        if (existingNames.size() >= policy.maxPerUser()) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.LIMIT_REACHED,
                    "You already have " + existingNames.size() + " app passwords, the most allowed is "
                            + policy.maxPerUser() + ". Delete one you no longer use first.");
        }
        String folded = name.toLowerCase(Locale.ROOT);
        if (existingNames.stream().anyMatch(n -> n != null && n.toLowerCase(Locale.ROOT).equals(folded))) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.DUPLICATE_NAME,
                    "You already have an app password named \"" + name + "\". Pick another name or delete that one first.");
        }
        AppPasswordSecret secret = AppPasswordSecret.generate();
        AppPasswordCredentialModel model = AppPasswordCredentialModel.create(name, SecretHash.of(secret), now, limitedTo, expiresAt);
        CredentialModel stored = user.credentialManager().createStoredCredential(model);
        event(EventType.UPDATE_CREDENTIAL, stored, client).success();
        return new CreatedAppPassword(stored.getId(), stored.getUserLabel(), stored.getCreatedDate(), limitedTo, expiresAt,
                secret.grouped());
    }

    /**
     * Deletes one of the user's app passwords; it stops working at once. The REMOVE_CREDENTIAL event is
     * what signs out its sessions and drops its last-use record (see AppPasswordRemovalListener), as it is
     * for removals through the account console and the admin API.
     */
    public void delete(String id, ClientModel client) {
        delete(id, client, null);
    }

    /** {@code reason}: why, when it was not the owner's choice (see {@link #DETAIL_REASON}); null otherwise. */
    public void delete(String id, ClientModel client, String reason) {
        CredentialModel stored = id == null ? null : user.credentialManager().getStoredCredentialById(id);
        if (stored == null || !AppPasswordCredentialModel.TYPE.equals(stored.getType())) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.NOT_FOUND, "No app password with this id.");
        }
        user.credentialManager().removeStoredCredentialById(id);
        EventBuilder event = event(EventType.REMOVE_CREDENTIAL, stored, client);
        if (reason != null) {
            event.detail(DETAIL_REASON, reason);
        }
        event.success();
    }

    /** Deletes all of the user's app passwords (each with its event, so their sessions end); returns how many. */
    public int deleteAll(ClientModel client, String reason) {
        List<String> ids = storedAppPasswords().stream().map(CredentialModel::getId).toList();
        ids.forEach(id -> delete(id, client, reason));
        return ids.size();
    }

    /** Removes the app passwords that expired more than {@code graceDays} ago; returns how many. */
    public int removeExpired(int graceDays) {
        long cutoff = Time.currentTimeMillis() - graceDays * 86_400_000L;
        List<String> ids = storedAppPasswords().stream()
                .filter(c -> AppPasswordCredentialModel.fromStored(c).isExpired(cutoff))
                .map(CredentialModel::getId).toList();
        ids.forEach(id -> delete(id, null, REASON_EXPIRED));
        return ids.size();
    }

    private List<CredentialModel> storedAppPasswords() {
        return user.credentialManager().getStoredCredentialsByTypeStream(AppPasswordCredentialModel.TYPE).toList();
    }

    /**
     * Takes a database row lock on the user for the rest of the transaction and reads the names of the
     * user's app passwords from the database (not the cache, which another node may not have refreshed).
     * Users from a federation provider have no local row; for them the count comes from the credential
     * manager without a lock.
     */
    private List<String> lockUserAndReadNames() {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        UserEntity locked = em.find(UserEntity.class, user.getId(), LockModeType.PESSIMISTIC_WRITE);
        if (locked == null) {
            return storedAppPasswords().stream().map(CredentialModel::getUserLabel).toList();
        }
        // A locking read, not a plain one: under MariaDB's REPEATABLE READ a plain SELECT would read the
        // snapshot taken before the lock was granted and miss app passwords another request just created.
        return em.createQuery("select c from CredentialEntity c where c.user.id = :userId and c.type = :type", CredentialEntity.class)
                .setParameter("userId", user.getId())
                .setParameter("type", AppPasswordCredentialModel.TYPE)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList().stream()
                .map(CredentialEntity::getUserLabel)
                .toList();
    }

    private EventBuilder event(EventType type, CredentialModel credential, ClientModel client) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(type)
                .user(user)
                .detail(Details.CREDENTIAL_TYPE, AppPasswordCredentialModel.TYPE)
                .detail(Details.CREDENTIAL_ID, credential.getId())
                .detail(Details.CREDENTIAL_USER_LABEL, DeviceName.forEvent(credential.getUserLabel()));
        if (client != null) {
            event.client(client);
        }
        return event;
    }
}
