import Foundation

/// A self-signed test certificate (CN=parapet-test-azure-app) with its unencrypted RSA key, made
/// with `openssl req -x509 -newkey rsa:2048 -nodes`. Test-only; never trusted anywhere.
public enum AzureTestCertificate {
    /// `openssl x509 -noout -fingerprint -sha1`: DF:A4:1C:03:9B:E3:8E:DE:0B:DF:79:A2:90:63:DF:3F:82:FC:49:14, base64url.
    public static let x5t = "36QcA5vjjt4L33mikGPfP4L8SRQ"

    public static let certificate = """
    -----BEGIN CERTIFICATE-----
    MIIDJTCCAg2gAwIBAgIUf9S6Bo9oXHFv58mRbfftEwA45J0wDQYJKoZIhvcNAQEL
    BQAwITEfMB0GA1UEAwwWcGFyYXBldC10ZXN0LWF6dXJlLWFwcDAgFw0yNjExMjgw
    MTUwNTFaGA8yMTI2MTEwNDAxNTA1MVowITEfMB0GA1UEAwwWcGFyYXBldC10ZXN0
    LWF6dXJlLWFwcDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAM7/muf1
    qWooZs7SqhsspxBnMDRkXN2bvtrgENh2qoRKDqGoDzQtegrKrF/2ENN4MmjqoaHa
    WC9Kp8bExW65NMrvHtUf7sITbAgDkrvuY0kx84dEGzR7j0pP0eR7A+9qy623F/wy
    apw7SXSHYAyE0/POWheYy9Jrv/oEEwKxurdOn8e9otGqGeK+iZhxlaW/XNA1KyH7
    ZSPCo0ebLpmjMS7d9tcoeuEeGLdr5OhH/fnDkblWItNRc9T74PjXt3FrMmjY2J6x
    Jm1GMwibFw6hApGxmwjO+yJak2LVVoURIbn7F3YcWJciQmjUq56lmmNoY9Fsk3Ed
    Izvd69O6PANKqMUCAwEAAaNTMFEwHQYDVR0OBBYEFIzF34V8jQ5T7cY+oRfaniB0
    EwtMMB8GA1UdIwQYMBaAFIzF34V8jQ5T7cY+oRfaniB0EwtMMA8GA1UdEwEB/wQF
    MAMBAf8wDQYJKoZIhvcNAQELBQADggEBAC/liq8jTK8jgX7HSMX6xxDui+6lEegy
    EsPvLy/Cc4GZr+3yZCoXWIc56yEc59+GJ1tkGFw1uYGxL5xpOk5Siobi5La62db3
    conwYlmCg1omg4bRQJp3XYUOitE2h0iZaoCDqdzyY+aX8GxMf5458IBc9Ir4Sgh9
    BprR4NRFw6BO0Zm+jVr49JHRxFoNYZhSbAeuww07GNMfkDOorgYJ92yPcyoiLwhr
    mLLOC/B6pVjKH0xKWGcpIGKoXmZJHEfcu2u2w26NFbwBWRbCdD670yEvQ2Le//9B
    kaKkvk8AQKuCvB1mEMtcXFUEUoXHy/t0hAEiyGWDR/xorBKlNOetigg=
    -----END CERTIFICATE-----
    """

    public static let privateKey = """
    -----BEGIN PRIVATE KEY-----
    MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDO/5rn9alqKGbO
    0qobLKcQZzA0ZFzdm77a4BDYdqqESg6hqA80LXoKyqxf9hDTeDJo6qGh2lgvSqfG
    xMVuuTTK7x7VH+7CE2wIA5K77mNJMfOHRBs0e49KT9HkewPvasuttxf8MmqcO0l0
    h2AMhNPzzloXmMvSa7/6BBMCsbq3Tp/HvaLRqhnivomYcZWlv1zQNSsh+2UjwqNH
    my6ZozEu3fbXKHrhHhi3a+ToR/35w5G5ViLTUXPU++D417dxazJo2NiesSZtRjMI
    mxcOoQKRsZsIzvsiWpNi1VaFESG5+xd2HFiXIkJo1KuepZpjaGPRbJNxHSM73evT
    ujwDSqjFAgMBAAECggEACNRfW7Cfat9RT1YuGl2jvK/iHwH+8hcAI572KP2a1WzB
    RgUArQWZlJdDlg5Ndm/EmrQTc+933oCNOo3PLCNrTJK5mnazvQSOEaNxYWHQS2F9
    lVIC5RC2MoHIHrpelxpTmNPcCo5t/L8MqZNStgX+coJlVmdWnmGpPTVqSC2jnMkC
    j8dX5agp5+qMMl27Xj1XENnUfrvD50WA96WlJlPr8EHGepbxFdV+UhOSNGSoU5pT
    PvuZbxl7EXdXoSEP4wV9HlMYWOICW4o36R6S4wKXNONW55lfJY81InsFeLIst5ZS
    iy9hOD2GaC17hp3p8JNeMOhFiiAQjnAjGrNsBx6VAQKBgQD8fSMkxlaQI+XuW68q
    imLD6itKL4qnedMHdqkrEqSuOoHHx+xlf+SJpFKqDrG4uX20b87xs3TW9w6KXZpG
    GG2tEnmnly/XYvWAVNa1HmmiL8WkcWIR8JAn56Uf3BxiQDy3/t79JdRNLvXnMbph
    iHe9zlE3AYnmpIWS/Ve2IL4BRQKBgQDR4IWNG8IznHazmrkCqteCfabah+n5gVSj
    /5fI1Go53FkAvAufubnAMtbnPpuP0M+zIlkLmyFqpHi1NO6vqEKxii8k8X6KGiaf
    n58zxsfFh6WPe5tc89phzYAp3YHUDl4Rq+caAC+iAswopWF8qwSKsoYNO3WA88Xp
    3MrxtivBgQKBgQDUC0f7d3J1RSCyKF+Yq3W8sSm/+ONKOV6IExiJavPQuqQJoxYe
    O+Uzz0P5O7P3vhga9BdpF1xVuFCG1YtduOBLDIwMukTcb2hcaWOT4kG2isZCj1Jc
    XJrEWJ9tfU59GROlNrARC7cbRwgPLM0pYhGl3uKH/ovQnnTreEY0V5UavQKBgAal
    8hUSOAiigDAYSpwHBWSgzlRF0eeRbTj0s74s3GCQ1lDrpAKfQ38PHTeeCBd6Kdom
    0GNJurlCFIDI+HagAdzV38Bv1e5R/b84szZUqadcMKZm5/j90IEgnVq2JZKuEdTF
    eUCdmOSs6gKvmnL0h+RM22o34/T9w9swn00g1CoBAoGAbOWYYTnb1BSso3lxdH3A
    Bl/pnutYQv5eatdehX3wY6M1Datdm5uePI/19y996V3AQq6tleKKr2CzdDA5Rbhe
    El4h6cai9Ri8B+TJEEAUXvV0ZxdXBdjGQrQTVqMK6ONW4pybyPdkeRcKenPK0OYC
    dBhL068WWmYv5v7ILRecnxA=
    -----END PRIVATE KEY-----
    """

    /// Certificate and key in one file, as `certificate_file` expects.
    public static var pem: String { certificate + "\n" + privateKey + "\n" }
}
