package io.dataline.dataset.service;

import io.dataline.dataset.ApiKey;
import io.dataline.dataset.ApiKeyRepository;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.service.rest.ProblemException;
import io.dataline.dataset.versioning.Hash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * API keys: issued once (the secret is returned a single time and stored as its SHA-256), listed without secrets,
 * revoked, checked on every request and by the other services through introspection. A key limited to datasets grants
 * only what it has: the keys it creates are limited to its datasets, and it lists and revokes only such keys. The admin key comes from
 * configuration. Secrets never reach logs.
 */
@ApplicationScoped
public class ApiKeyService {

    static final String PREFIX = "dl_";
    private static final int MIN_ADMIN_KEY_LENGTH = 16;

    private final ApiKeyRepository keys;
    private final io.dataline.dataset.DatasetRepository datasets;
    private final Caller caller;
    private final byte[] adminKey;
    private final SecureRandom random = new SecureRandom();

    ApiKeyService(ApiKeyRepository keys, DatasetServiceConfig config, io.dataline.dataset.DatasetRepository datasets, Caller caller) {
        this.keys = keys;
        this.datasets = datasets;
        this.caller = caller;
        this.adminKey = config.adminKey().filter(k -> k.length() >= MIN_ADMIN_KEY_LENGTH)
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** A key as shown: id, name, scopes, datasets, creation time; {@code key} only in the answer that created it. */
    public record KeyView(String id, String name, List<String> scopes, List<String> datasets, Instant createdAt, String key) {
    }

    /**
     * The introspection answer for other services: whether the key works, its name (for audit trails), scopes, and for
     * a key limited to some datasets, those datasets as given and the slugs of those that exist (null: all datasets).
     */
    public record Introspection(boolean active, String name, List<String> scopes, List<String> datasets, List<String> datasetSlugs) {
    }

    @Transactional
    public KeyView create(String name, List<String> scopeNames, List<String> datasets) {
        List<Map<String, Object>> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add(error("/name", "is required (1-200 characters)"));
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (scopeNames == null || scopeNames.isEmpty()) {
            errors.add(error("/scopes", "name at least one of read, write, admin"));
        } else {
            for (int i = 0; i < scopeNames.size(); i++) {
                Optional<Scope> scope = Scope.parse(scopeNames.get(i));
                if (scope.isEmpty()) {
                    errors.add(error("/scopes/" + i, "unknown scope \"" + scopeNames.get(i) + "\" (read, write or admin)"));
                } else {
                    scopes.add(scope.get());
                }
            }
        }
        if (datasets != null) {
            for (int i = 0; i < datasets.size(); i++) {
                if (datasets.get(i) == null || datasets.get(i).isBlank()) {
                    errors.add(error("/datasets/" + i, "must be a dataset name or slug"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the API key request is invalid", errors);
        }
        if (datasets == null && callerLimited()) {
            throw new ProblemException(403, "Forbidden", "this API key is limited to datasets, so the keys it creates must be limited to them too");
        }
        for (String dataset : datasets == null ? List.<String>of() : datasets) {
            if (!callerGrants(dataset)) {
                throw new ProblemException(403, "Forbidden", "this API key may not grant access to dataset \"" + dataset + "\"");
            }
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey entity = new ApiKey();
        entity.id = UUID.randomUUID();
        entity.name = name;
        entity.keyHash = hash(key);
        entity.scopes = scopes.stream().map(Scope::wireName).collect(Collectors.joining(","));
        entity.datasets = datasets == null ? null : String.join("\n", datasets);
        entity.createdAt = Instant.now();
        keys.persist(entity);
        return view(entity, key);
    }

    /** The active keys the caller manages: all of them, or for a key limited to datasets, the keys limited to those. */
    public List<KeyView> list() {
        return keys.active().stream().filter(this::callerManages).map(k -> view(k, null)).toList();
    }

    @Transactional
    public void revoke(UUID id) {
        ApiKey key = keys.findByIdOptional(id).filter(k -> k.revokedAt == null).filter(this::callerManages)
                .orElseThrow(() -> ProblemException.notFound("no active API key with id " + id));
        key.revokedAt = Instant.now();
    }

    /** The principal a presented key stands for, if it is valid. */
    public Optional<Caller.Principal> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        if (adminKey != null && MessageDigest.isEqual(adminKey, presented.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Caller.Principal("admin", "admin", EnumSet.of(Scope.ADMIN), null));
        }
        return keys.findActiveByHash(hash(presented)).map(k -> new Caller.Principal(k.id.toString(), k.name, scopes(k), datasets(k)));
    }

    public Introspection introspect(String presented) {
        return authenticate(presented)
                .map(p -> new Introspection(true, p.keyName(), p.scopes().stream().map(Scope::wireName).sorted().toList(), p.datasets(),
                        p.datasets() == null ? null : p.datasets().stream().flatMap(d -> datasets.findByNameOrSlug(d).stream()).map(d -> d.slug)
                                .distinct().sorted().toList()))
                .orElse(new Introspection(false, null, List.of(), null, null));
    }

    private boolean callerLimited() {
        return caller.principal() != null && caller.principal().datasets() != null;
    }

    /**
     * Whether the caller may hand out access to the dataset so named: a key limited to datasets only to those (named
     * as in its own limit, or an existing dataset it may use); anyone else to any.
     */
    private boolean callerGrants(String dataset) {
        Caller.Principal principal = caller.principal();
        return !callerLimited() || principal.datasets().contains(dataset)
                || datasets.findByNameOrSlug(dataset).filter(principal::mayUse).isPresent();
    }

    /** A key limited to datasets manages only keys limited to datasets it could grant; anyone else every key. */
    private boolean callerManages(ApiKey key) {
        List<String> granted = datasets(key);
        return !callerLimited() || (granted != null && granted.stream().allMatch(this::callerGrants));
    }

    static String hash(String key) {
        return Hash.sha256(key.getBytes(StandardCharsets.UTF_8)).hex();
    }

    private static Set<Scope> scopes(ApiKey key) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(key.scopes.split(",")).map(Scope::parse).flatMap(Optional::stream).forEach(scopes::add);
        return scopes;
    }

    private static List<String> datasets(ApiKey key) {
        return key.datasets == null ? null : List.of(key.datasets.split("\n"));
    }

    private static KeyView view(ApiKey key, String secret) {
        return new KeyView(key.id.toString(), key.name, scopes(key).stream().map(Scope::wireName).toList(), datasets(key), key.createdAt, secret);
    }

    private static Map<String, Object> error(String pointer, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("pointer", pointer);
        error.put("message", message);
        return error;
    }
}
