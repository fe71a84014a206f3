package dev.socketproxy.scope;

import java.util.Locale;
import java.util.Optional;

import org.springframework.http.HttpStatus;

import dev.socketproxy.access.Denial;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.scope.EngineObject.Kind;

/**
 * A scope's decision on the object a per-id request names: refused, or forwarded, naming
 * the object by its full ID where the reference could come to name another.
 *
 * @param refusal the refusal; {@code null} when forwarded
 * @param id the full ID the forwarded path names instead of the reference; {@code null} to
 * forward the path as it is
 */
public record ObjectDecision(Denial refusal, String id) {

	/** The longest reference a reason or message repeats. */
	static final int MAX_REFERENCE = 128;

	/**
	 * Whether {@code scope} decides on objects of {@code kind}: containers and their execs
	 * for any limited scope, networks, volumes and images only for an owner.
	 */
	public static boolean decides(ObjectScope scope, Kind kind) {
		return switch (kind) {
			case CONTAINER, EXEC -> scope.limited();
			case NETWORK, VOLUME, IMAGE -> scope.owner().isPresent();
		};
	}

	/**
	 * Decides on the object {@code path} names, as the engine found it.
	 * <ul>
	 * <li>unknown to the engine: the engine's own 404, without asking it again, so a
	 * reference that comes to name an object between here and the socket is never sent
	 * unjudged;</li>
	 * <li>a container (or an exec's container) outside {@code visible-containers}: the same
	 * 404, as if it did not exist;</li>
	 * <li>not the owner's: 403; an image without an owner label is the owner's to read
	 * ({@code GET}, {@code HEAD}) only;</li>
	 * <li>else forwarded: containers and networks by their full ID, images by it when the
	 * reference was an ID; execs (full IDs only) and volumes (named by name) as they are.</li>
	 * </ul>
	 */
	public static ObjectDecision decide(ObjectScope scope, String method, ObjectPath path, Optional<EngineObject> found) {
		if (found.isEmpty()) {
			return refused(notFound(path.kind(), path.reference()));
		}
		EngineObject object = found.get();
		if ((path.kind() == Kind.CONTAINER || path.kind() == Kind.EXEC) && !scope.shows(object.names(), object.labels())) {
			return refused(notVisible(path.kind(), path.reference()));
		}
		if (!scope.owns(object.labels()) && !(path.kind() == Kind.IMAGE && readableImage(scope, method, object))) {
			return refused(notOwned(path.kind(), path.reference()));
		}
		return switch (path.kind()) {
			case CONTAINER, NETWORK -> new ObjectDecision(null, object.id());
			case IMAGE -> new ObjectDecision(null, path.namesImageById(object) ? object.id() : null);
			case EXEC, VOLUME -> new ObjectDecision(null, null);
		};
	}

	private static boolean readableImage(ObjectScope scope, String method, EngineObject image) {
		return (method.equals("GET") || method.equals("HEAD")) && !image.labels().containsKey(scope.ownerLabel());
	}

	private static ObjectDecision refused(Denial denial) {
		return new ObjectDecision(denial, null);
	}

	/** The engine's own answer for an object it does not know. */
	public static Denial notFound(Kind kind, String reference) {
		String ref = bounded(reference);
		return Denial.engineError(HttpStatus.NOT_FOUND, "no such object: " + name(kind) + " " + ref, engineMessage(kind, ref));
	}

	/** A container outside {@code visible-containers}, answered as one the engine does not know. */
	public static Denial notVisible(Kind kind, String reference) {
		String ref = bounded(reference);
		return Denial.engineError(HttpStatus.NOT_FOUND, "not visible: " + name(kind) + " " + ref, engineMessage(kind, ref));
	}

	/** An object that is not the owner's. */
	public static Denial notOwned(Kind kind, String reference) {
		String reason = "not owned: " + name(kind) + " " + bounded(reference);
		return Denial.engineError(HttpStatus.FORBIDDEN, reason, reason);
	}

	/** The engine could not be asked about the object. */
	static Denial lookupFailed(Kind kind) {
		return Denial.explained(HttpStatus.BAD_GATEWAY, "object lookup failed: " + name(kind));
	}

	/** The engine's messages for objects it does not know. */
	private static String engineMessage(Kind kind, String ref) {
		return switch (kind) {
			case CONTAINER -> "No such container: " + ref;
			case EXEC -> "No such exec instance: " + ref;
			case NETWORK -> "network " + ref + " not found";
			case VOLUME -> "get " + ref + ": no such volume";
			case IMAGE -> "No such image: " + ref;
		};
	}

	private static String name(Kind kind) {
		return kind.name().toLowerCase(Locale.ROOT);
	}

	private static String bounded(String reference) {
		return (reference.length() <= MAX_REFERENCE) ? reference : reference.substring(0, MAX_REFERENCE) + "…";
	}

}
