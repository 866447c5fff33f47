package io.github.etcdgrpclb.spring.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdgrpclb.spring.config.RejectedValues;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.ServerRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * What the {@code etcd} health component reports, the same on both Spring lines (whose health APIs
 * live in different packages; each line's {@code EtcdHealthIndicator} only maps the result):
 * <ul>
 * <li>{@link State#UP}: etcd answers, with cluster id, members, leader, revision and the states of
 * this application's registrations (REGISTERING and RECONNECTING are passing states: the server
 * serves meanwhile);</li>
 * <li>{@link State#OUT_OF_SERVICE}: etcd answers but a server of this application is deregistered
 * on purpose (drained through the actuator endpoint), so a readiness probe takes it out;</li>
 * <li>{@link State#UNREACHABLE}: etcd did not answer in time, with the endpoints, the timeout and
 * the reason. The application keeps serving from what it knows; each line maps this state to the
 * configured status ({@code etcd.health.unreachable-status}).</li>
 * </ul>
 * In each state, {@code configurationRejected} lists the beans that refused etcd's latest configuration
 * values and run on their old ones (an instance started with them would fail to start).
 * Every etcd call is bounded by the timeout: a probe never hangs on wait-for-ready.
 */
public class EtcdHealthProbe {

	/** A probe must answer quickly: etcd's own request timeout would keep it waiting. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/** Any key: a count-only read of it costs etcd nothing and its header carries the revision. */
	private static final ByteSequence REVISION_PROBE = ByteSequence.from("/", StandardCharsets.UTF_8);

	/** What one check found. */
	public enum State {

		/** etcd answers and every registration is passing. */
		UP,

		/** etcd answers; a server of this application is deregistered on purpose, or drained by an operator. */
		OUT_OF_SERVICE,

		/** etcd did not answer in time. */
		UNREACHABLE

	}

	/**
	 * One check's outcome.
	 * @param state what was found
	 * @param details cluster id, members, leader, revision and the registrations' states, or the error
	 */
	public record Result(State state, Map<String, Object> details) {
	}

	private final Client client;

	private final String endpoints;

	private final ObjectProvider<ServerRegistry> registration;

	private final Duration timeout;

	private final Supplier<List<RejectedValues>> rejectedConfiguration;

	/**
	 * @param client the etcd client
	 * @param endpoints the etcd endpoints, as the error names them
	 * @param registration this application's registrations, when it has a server
	 * @param timeout the longest any etcd call of one check may take
	 */
	public EtcdHealthProbe(Client client, String endpoints, ObjectProvider<ServerRegistry> registration,
			Duration timeout) {
		this(client, endpoints, registration, timeout, List::of);
	}

	/**
	 * @param client the etcd client
	 * @param endpoints the etcd endpoints, as the error names them
	 * @param registration this application's registrations, when it has a server
	 * @param timeout the longest any etcd call of one check may take
	 * @param rejectedConfiguration the beans that refused etcd's latest configuration values: shown in
	 * the details (the status stays as it is: the application runs on its old values)
	 */
	public EtcdHealthProbe(Client client, String endpoints, ObjectProvider<ServerRegistry> registration,
			Duration timeout, Supplier<List<RejectedValues>> rejectedConfiguration) {
		this.client = client;
		this.endpoints = endpoints;
		this.registration = registration;
		this.timeout = timeout;
		this.rejectedConfiguration = rejectedConfiguration;
	}

	/**
	 * Asks etcd for its members, leader and revision, each call bounded by the timeout.
	 * @return the outcome; never throws for an unreachable etcd
	 * @throws InterruptedException when interrupted while waiting for etcd
	 */
	public Result check() throws InterruptedException {
		Map<String, Object> details = new LinkedHashMap<>();
		try {
			describeCluster(details);
		}
		catch (ExecutionException | TimeoutException ex) {
			details.put("endpoints", this.endpoints);
			details.put("error", (ex instanceof TimeoutException)
					? "etcd did not answer within " + this.timeout.toMillis() + " ms"
					: "etcd refused: " + EtcdErrors.describe(ex.getCause()));
			addRegistrations(details);
			addRejectedConfiguration(details);
			return new Result(State.UNREACHABLE, details);
		}
		List<RegistrationStatus> statuses = addRegistrations(details);
		addRejectedConfiguration(details);
		// Taken out by the application (DEREGISTERED) or by an operator (DRAINED): still serving, no new calls.
		boolean drained = statuses.stream()
			.anyMatch((status) -> status.state() == RegistrationState.DEREGISTERED
					|| status.state() == RegistrationState.DRAINED);
		return new Result(drained ? State.OUT_OF_SERVICE : State.UP, details);
	}

	private void describeCluster(Map<String, Object> details)
			throws InterruptedException, ExecutionException, TimeoutException {
		MemberListResponse members = this.client.getClusterClient()
			.listMember()
			.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		details.put("clusterId", Long.toHexString(members.getHeader().getClusterId()));
		details.put("members", members.getMembers().size());
		Long leader = leader(members.getMembers());
		if (leader != null) {
			members.getMembers()
				.stream()
				.filter((member) -> member.getId() == leader)
				.findFirst()
				.ifPresentOrElse((member) -> details.put("leader", member.getName()),
						() -> details.put("leader", Long.toHexString(leader)));
		}
		long revision = this.client.getKVClient()
			.get(REVISION_PROBE, GetOption.builder().withCountOnly(true).build())
			.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.getHeader()
			.getRevision();
		details.put("revision", revision);
	}

	private List<RegistrationStatus> addRegistrations(Map<String, Object> details) {
		ServerRegistry registrations = this.registration.getIfAvailable();
		if (registrations == null) {
			return List.of();
		}
		List<RegistrationStatus> statuses = registrations.statuses();
		Map<String, String> states = new LinkedHashMap<>();
		statuses.forEach((status) -> states.put(status.registration().key(), status.state().name()));
		details.put("registrations", states);
		return statuses;
	}

	/** Values an instance started now would fail on: operators must see them before a restart. */
	private void addRejectedConfiguration(Map<String, Object> details) {
		List<RejectedValues> rejected = this.rejectedConfiguration.get();
		if (!rejected.isEmpty()) {
			details.put("configurationRejected", rejected);
		}
	}

	/** The leader as one member sees it; null when no member answers the status call in time. */
	private Long leader(List<Member> members) throws InterruptedException {
		for (Member member : members) {
			if (member.getClientURIs().isEmpty()) {
				continue;
			}
			try {
				StatusResponse status = this.client.getMaintenanceClient()
					.statusMember(member.getClientURIs().get(0).toString())
					.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
				return status.getLeader();
			}
			catch (ExecutionException | TimeoutException ex) {
				// try the next member
			}
		}
		return null;
	}

}
