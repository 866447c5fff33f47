package io.github.etcdgrpclb.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.etcdgrpclb.registry.RegistryEntry;
import io.github.etcdgrpclb.registry.ValueFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceInstanceParserTests {

	private final ServiceInstanceParser parser = new ServiceInstanceParser("/grpclb/simple_grpc/", 100);

	@Test
	void goTutorialEntryShouldGiveAddressAndWeight() {
		ServiceInstance instance = this.parser.parse("/grpclb/simple_grpc/10.0.0.5:9001", "3");
		assertThat(instance.address()).isEqualTo("10.0.0.5:9001");
		assertThat(instance.socketAddress().getAddress().getHostAddress()).isEqualTo("10.0.0.5");
		assertThat(instance.socketAddress().getPort()).isEqualTo(9001);
		assertThat(instance.weight()).isEqualTo(3);
	}

	@Test
	void jsonValueShouldGiveItsWeight() {
		assertThat(this.parser.weight("{\"Addr\":\"10.0.0.5:9001\",\"weight\":4,\"metadata\":{\"zone\":\"a\"}}"))
			.isEqualTo(4);
		assertThat(this.parser.weight("{\"Addr\":\"10.0.0.5:9001\",\"Metadata\":null}")).isEqualTo(1);
	}

	@Test
	void everyValueFormatOfOursShouldReadBackWithItsAddressAndWeight() {
		for (ValueFormat format : ValueFormat.values()) {
			RegistryEntry written = new RegistryEntry("/grpclb", "simple_grpc", "10.0.0.5", 9001, 3, format);
			ServiceInstance read = this.parser.parse(written.key(), written.value());
			assertThat(read.address()).as(format.name()).isEqualTo("10.0.0.5:9001");
			assertThat(read.weight()).as(format.name()).isEqualTo((format == ValueFormat.ADDRESS) ? 1 : 3);
		}
	}

	@Test
	void goEndpointsEntryUnderAnyKeyNameShouldGiveTheAddressOfItsValue() {
		// etcd's Go endpoints.Manager.AddEndpoint(ctx, "simple_grpc/node-1", endpoints.Endpoint{Addr: ...}).
		ServiceInstance instance = this.parser.parse("/grpclb/simple_grpc/node-1",
				"{\"Op\":0,\"Addr\":\"10.0.0.7:9002\",\"Metadata\":{\"weight\":4}}");
		assertThat(instance.address()).isEqualTo("10.0.0.7:9002");
		assertThat(instance.socketAddress().getPort()).isEqualTo(9002);
		assertThat(instance.weight()).isEqualTo(4);
		assertThat(this.parser.parse("/grpclb/simple_grpc/node-2", "10.0.0.8:9003").address()).isEqualTo("10.0.0.8:9003");
		assertThatExceptionOfType(ServiceInstanceParser.MalformedInstanceException.class)
			.isThrownBy(() -> this.parser.parse("/grpclb/simple_grpc/node-3", "{\"Op\":0}"));
		assertThatExceptionOfType(ServiceInstanceParser.MalformedInstanceException.class)
			.isThrownBy(() -> this.parser.parse("/grpclb/simple_grpc/node-4", "{\"Addr\":\"no-port\"}"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "abc", "3.5", "{\"weight\":2.5}", "\u0000\u0001", "[4]", "0x10" })
	void anyOtherValueShouldCountAsWeightOne(String value) {
		assertThat(this.parser.weight(value)).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "3", " 3 ", "+3", "03", "0000000003", "\t3\n" })
	void integerValuesShouldGiveTheirWeightWhateverTheirPadding(String value) {
		assertThat(this.parser.weight(value)).isEqualTo(3);
	}

	@Test
	void weightsShouldBeClampedToOneToMax() {
		assertThat(this.parser.weight("0")).isEqualTo(1);
		assertThat(this.parser.weight("-7")).isEqualTo(1);
		assertThat(this.parser.weight("101")).isEqualTo(100);
		assertThat(this.parser.weight("999999999999999999")).isEqualTo(100);
		assertThat(new ServiceInstanceParser("/p/s/", 5).weight("9")).isEqualTo(5);
	}

	@Test
	void bracketedIpv6AndHostNamesShouldBeAccepted() {
		assertThat(this.parser.parse("/grpclb/simple_grpc/[::1]:9001", "1").socketAddress().getAddress()
			.isLoopbackAddress()).isTrue();
		ServiceInstance named = this.parser.parse("/grpclb/simple_grpc/orders-1.internal:9001", "1");
		assertThat(named.socketAddress().getHostString()).isEqualTo("orders-1.internal");
		assertThat(named.socketAddress().isUnresolved()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.5", "10.0.0.5:", ":9001", "10.0.0.5:0", "10.0.0.5:65536", "10.0.0.5:port",
			"::1:9001", "[::1", "[zz]:9001", "300.1.1.1:9001", "10.0.0:9001", "a/b:9001", "host name:9001",
			"10.0.0.5:9001/extra", "", ".10.0.0:9001", "10.0.0.5.:9001", "10..0.5:9001", "10.0.0.5.6:9001",
			"1000.0.0.5:9001", "10.0.0.5:+901", "10.0.0.5:123456" })
	void malformedAddressesShouldBeRejectedWithAReason(String address) {
		assertThatExceptionOfType(ServiceInstanceParser.MalformedInstanceException.class)
			.isThrownBy(() -> this.parser.parse("/grpclb/simple_grpc/" + address, "1"))
			.satisfies((ex) -> assertThat(ex.getMessage()).isNotBlank());
	}

}
