package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.access.BindMountPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BindMountChecksTest {

	private final BindMountChecks checks = new BindMountChecks(new BindMountPolicy(List.of("/srv/data/", "/home/shared")));

	@ParameterizedTest
	@ValueSource(strings = { "{\"HostConfig\":{\"Binds\":[\"/srv/data:/x\",\"/srv/data/a/../b:/y:ro\",\"named:/z\",\"/anon\"]}}",
			"{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/home/shared//x/\"},{\"Type\":\"volume\",\"Source\":\"v\"}]}}",
			"{\"HostConfig\":null}", "{}" })
	void allowsSourcesInsideTheDirectories(String json) {
		assertThat(this.checks.violation(InspectedEndpoint.CONTAINER_CREATE, parse(json))).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			CONTAINER_CREATE | {"HostConfig":{"Binds":["/etc:/x"]}}                           | /etc is outside the allowed directories
			CONTAINER_CREATE | {"HostConfig":{"Binds":["/srv/data/../../etc:/x"]}}            | /srv/data/../../etc is outside the allowed directories
			CONTAINER_CREATE | {"HostConfig":{"Binds":["/srv/database:/x"]}}                  | /srv/database is outside the allowed directories
			CONTAINER_CREATE | {"Binds":["/:/x"]}                                              | / is outside the allowed directories
			CONTAINER_UPDATE | {"hostconfig":{"mounts":[{"type":"Bind","source":"/etc"}]}}     | /etc is outside the allowed directories
			CONTAINER_CREATE | {"HostConfig":{"Mounts":[{"Type":"bind","Source":"etc"}]}}      | bind source etc is not an absolute path
			CONTAINER_CREATE | {"HostConfig":{"Mounts":[{"Type":"volume","VolumeOptions":{"DriverConfig":{"Options":{"o":"ro,rbind","device":"/etc"}}}}]}} | /etc is outside the allowed directories
			CONTAINER_START  | {"VolumesFrom":["other:ro"]}                                    | VolumesFrom is not allowed
			SERVICE_UPDATE   | {"TaskTemplate":{"ContainerSpec":{"Mounts":[{"Type":"bind","Source":"/var/run"}]}}} | /var/run is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"o":"bind","device":"/root"}}                    | /root is outside the allowed directories
			""")
	void refusesEverythingElse(InspectedEndpoint endpoint, String json, String violation) {
		assertThat(this.checks.violation(endpoint, parse(json))).hasValue(violation);
	}

	/** The local driver may mount only directories: binds of allowed ones, tmpfs, overlays of allowed ones. */
	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			VOLUME_CREATE    | {}
			VOLUME_CREATE    | {"Name":"v","DriverOpts":null}
			VOLUME_CREATE    | {"Name":"v","Driver":"local","DriverOpts":{}}
			VOLUME_CREATE    | {"DriverOpts":{"size":"10G"}}
			VOLUME_CREATE    | {"DriverOpts":{"type":"tmpfs","device":"tmpfs","o":"size=64m,uid=1000"}}
			VOLUME_CREATE    | {"DriverOpts":{"type":"none","o":"bind","device":"/srv/data/x"}}
			VOLUME_CREATE    | {"DriverOpts":{"type":"ext4","o":"ro,rbind","device":"/home/shared/../shared/x"}}
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","device":"overlay","o":"lowerdir=/srv/data/l1:/home/shared/l2::/srv/data/d,upperdir=/srv/data/u,workdir=/srv/data/w,index=off"}}
			VOLUME_CREATE    | {"Driver":"rexray","DriverOpts":{"type":"ext4","device":"/dev/vda"}}
			VOLUME_CREATE    | {"Driver":"nfsplugin","DriverOpts":{"o":"addr=bind.example.com","device":":/export"}}
			CONTAINER_CREATE | {"HostConfig":{"Mounts":[{"Type":"volume","Source":"v"},{"Type":"tmpfs","Target":"/t"}]}}
			CONTAINER_CREATE | {"HostConfig":{"Mounts":[{"Type":"volume","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"tmpfs","device":"tmpfs"}}}}]}}
			SERVICE_CREATE   | {"TaskTemplate":{"ContainerSpec":{"Mounts":[{"Type":"volume","VolumeOptions":{"DriverConfig":{"Options":{"type":"overlay","device":"overlay","o":"lowerdir=/srv/data/l,upperdir=/srv/data/u,workdir=/srv/data/w"}}}}]}}}
			""")
	void allowsLocalVolumesOfAllowedDirectoriesOnly(InspectedEndpoint endpoint, String json) {
		assertThat(this.checks.violation(endpoint, parse(json))).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			VOLUME_CREATE    | {"DriverOpts":{"type":"ext4","device":"/dev/vda"}}                                 | local volume type ext4 is not allowed
			VOLUME_CREATE    | {"Driver":"local","DriverOpts":{"type":"proc","device":"proc"}}                    | local volume type proc is not allowed
			VOLUME_CREATE    | {"DriverOpts":{"type":"sysfs","device":"sysfs"}}                                   | local volume type sysfs is not allowed
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","device":"overlay","o":"lowerdir=/,upperdir=/srv/data/u,workdir=/srv/data/w"}} | / is outside the allowed directories
			VOLUME_CREATE    | {"driveropts":{"type":"ext4","device":"/dev/vda"}}                                 | local volume type ext4 is not allowed
			VOLUME_CREATE    | {"DRIVEROPTS":{"Type":"ext4","Device":"/dev/vda"}}                                 | local volume type ext4 is not allowed
			VOLUME_CREATE    | {"driver":"Local","DriverOpts":{"type":"ext4","device":"/dev/vda"}}                | local volume type ext4 is not allowed
			VOLUME_CREATE    | {"Driver":" local ","DriverOpts":{"type":"ext4","device":"/dev/vda"}}              | local volume type ext4 is not allowed
			VOLUME_CREATE    | {"Driver":"","DriverOpts":{"type":"ext4","device":"/dev/vda"}}                     | local volume type ext4 is not allowed
			VOLUME_CREATE    | {"DriverOpts":{"device":"/dev/vda"}}                                               | local volume options without a type are not allowed
			VOLUME_CREATE    | {"DriverOpts":{"type":"btrfs","device":"/srv/data/img","o":"device=/dev/vda"}}     | local volume type btrfs is not allowed
			VOLUME_CREATE    | {"DriverOpts":{"type":"nfs","o":"addr=127.0.0.1,rw","device":":/"}}                | local volume type nfs is not allowed
			VOLUME_CREATE    | {"DriverOpts":{"type":"cifs","o":"username=u","device":"//127.0.0.1/share"}}       | local volume type cifs is not allowed
			VOLUME_CREATE    | {"DriverOpts":{"type":"none","o":"bind","device":"etc"}}                           | bind source etc is not an absolute path
			VOLUME_CREATE    | {"DriverOpts":{"type":"ext4","o":"ro,bind","device":"/etc"}}                       | /etc is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"none","o":"rbind","device":"/srv/data/../../"}}             | /srv/data/../../ is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"none","o":"ro, BIND","device":"/etc"}}                      | /etc is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"none","o":"BIND","device":"/srv/data/x"}}                   | local volume type none is not allowed
			VOLUME_CREATE    | {"DriverOpts":{"type":"tmpfs","o":"bind","device":"tmpfs"}}                        | bind source tmpfs is not an absolute path
			VOLUME_CREATE    | {"Driver":"rexray","DriverOpts":{"o":"bind","device":"/etc"}}                      | /etc is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"Overlay","device":"overlay","o":"lowerdir=/srv/data/l"}}    | local volume type Overlay is not allowed
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","o":"lowerdir=etc,upperdir=/srv/data/u"}}          | overlay lowerdir etc is not an absolute path
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","o":"lowerdir=/srv/data/a:/etc"}}                  | /etc is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","o":"lowerdir=/srv/data/l,upperdir=/srv/data/../../etc"}} | /srv/data/../../etc is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","o":"lowerdir=/srv/data/l,workdir=/srv/data/x:/../../srv/data"}} | /srv/data/x:/../../srv/data is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","o":"lowerdir=/srv/data/a\\\\:b"}}                | overlay lowerdir /srv/data/a\\:b holds an escape
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","o":"lowerdir=/srv/data/l, UpperDir=/root"}}      | /root is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","o":"lowerdir+=/etc"}}                             | /etc is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"type":"overlay","o":"lowerdir=/srv/data/l,datadir+=/var"}}        | /var is outside the allowed directories
			CONTAINER_CREATE | {"HostConfig":{"Mounts":[{"Type":"volume","Source":"v","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"ext4","device":"/dev/vda"}}}}]}} | local volume type ext4 is not allowed
			CONTAINER_CREATE | {"hostconfig":{"mounts":[{"type":"volume","volumeoptions":{"driverconfig":{"options":{"type":"proc","device":"proc"}}}}]}} | local volume type proc is not allowed
			CONTAINER_CREATE | {"Mounts":[{"Type":"volume","VolumeOptions":{"DriverConfig":{"Name":"LOCAL","Options":{"type":"nfs","device":":/","o":"addr=10.0.0.1"}}}}]} | local volume type nfs is not allowed
			SERVICE_CREATE   | {"TaskTemplate":{"ContainerSpec":{"Mounts":[{"Type":"volume","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"ext4","device":"/dev/vda"}}}}]}}} | local volume type ext4 is not allowed
			SERVICE_UPDATE   | {"TaskTemplate":{"ContainerSpec":{"Mounts":[{"Type":"volume","VolumeOptions":{"DriverConfig":{"Options":{"type":"overlay","o":"lowerdir=/,upperdir=/srv/data/u,workdir=/srv/data/w"}}}}]}}} | / is outside the allowed directories
			""")
	void refusesLocalVolumesOfAnythingElse(InspectedEndpoint endpoint, String json, String violation) {
		assertThat(this.checks.violation(endpoint, parse(json))).hasValue(violation);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/srv/data/x\",\"device\":\"/dev/vda\"}}",
			"{\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/srv/data/x\",\"Device\":\"/etc\"}}",
			"{\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/srv/data/x\"},\"driverOpts\":{\"type\":\"ext4\",\"device\":\"/dev/vda\"}}" })
	void optionsTheEngineCouldReadOtherwiseAreRefusedAsAmbiguous(String json) {
		assertThatExceptionOfType(InvalidBodyException.class)
			.isThrownBy(() -> this.checks.violation(InspectedEndpoint.VOLUME_CREATE, parse(json)))
			.withMessageStartingWith("ambiguous JSON: ");
	}

	@Test
	void offWithoutDirectories() {
		BindMountChecks off = new BindMountChecks(new BindMountPolicy(List.of()));
		assertThat(off.violation(InspectedEndpoint.CONTAINER_CREATE, parse("{\"Binds\":[\"/:/x\"]}"))).isEmpty();
	}

	static Object parse(String json) {
		return EngineJson.parse(json.getBytes(StandardCharsets.UTF_8));
	}

}
