FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg libpango-1.0-0 libpangoft2-1.0-0 fonts-hosny-amiri \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
ENV DJANGO_SETTINGS_MODULE=lms.settings PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["uvicorn", "lms.asgi:application", "--host", "0.0.0.0", "--port", "8000"]
